using System.Net;
using Funnel.Host.Storage;

namespace Funnel.Host.Access;

/// <summary>
/// Whether callers must hold a key, decided once at start. Only the private development store, listening on loopback
/// alone, may stay open (so the two commands of a fresh machine just work); Funnel:Auth:Required=true closes it too.
/// </summary>
public sealed record AccessMode(bool Required, string Why)
{
    public static AccessMode Decide(IConfiguration configuration, StorageMode storage)
    {
        // Required=false opens nothing: only the private store on loopback is ever open.
        if (configuration.GetSection(AccessSettings.Section).Get<AccessSettings>()?.Required == true)
        {
            return new(true, "Funnel:Auth:Required is true");
        }

        if (!storage.Private)
        {
            return new(true, "a connection string is configured");
        }

        return NonLoopbackAddress(configuration) is { } address
            ? new(true, $"it listens on {address}, not only on loopback")
            : new(false, "the private development store, on loopback only");
    }

    /// <summary>The first configured listening address that reaches beyond this machine (Funnel's default, localhost:5080, does not).</summary>
    private static string? NonLoopbackAddress(IConfiguration configuration)
    {
        if (configuration["http_ports"] is { Length: > 0 } || configuration["https_ports"] is { Length: > 0 })
        {
            return "every interface (HTTP_PORTS)";
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return urls.FirstOrDefault(url => url.Length > 0 && !IsLoopback(url));
    }

    private static bool IsLoopback(string url)
    {
        // "*" and "+" are not valid URI hosts: swap them for a name that parses, then treat them as every interface.
        var host = Uri.TryCreate(url.Replace("://*", "://any.").Replace("://+", "://any."), UriKind.Absolute, out var uri) ? uri.Host : "";
        return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
