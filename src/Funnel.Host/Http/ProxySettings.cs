using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Funnel.Host.Http;

/// <summary>
/// Funnel:Proxy: the reverse proxies (a TLS terminator, a load balancer) whose X-Forwarded-For and X-Forwarded-Proto are
/// believed: the caller's address (what refusals are counted by) and whether the call came over HTTPS (what makes the
/// dashboard's cookie Secure). Loopback always is; a header from any other sender is ignored.
/// </summary>
public sealed class ProxySettings
{
    public const string Section = "Funnel:Proxy";

    /// <summary>Addresses of proxies besides loopback, for example 10.0.0.5.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public static void Configure(WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(Section).Get<ProxySettings>() ?? new ProxySettings();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in settings.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies holds '{proxy}', which is not an IP address."));
            }
        });
    }
}
