using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Funnel.Host.Dashboard;

/// <summary>What the API answered the dashboard: the answer, or why there is none (401/403: sign in; else the problem's title).</summary>
public sealed record ApiAnswer<T>(T? Value, ReportFreshness? Freshness, HttpStatusCode Status, string? Problem);

/// <summary>
/// The dashboard reads only the public API, as any other client: over HTTP to this service's own address, with the
/// manager's key from the sign-in cookie (none on an open service).
/// </summary>
public sealed class DashboardApi(IHttpClientFactory clients, IServer server, IOptions<JsonOptions> json)
{
    public async Task<ApiAnswer<T>> GetAsync<T>(HttpContext caller, string pathAndQuery, CancellationToken ct = default)
    {
        using var http = clients.CreateClient(nameof(DashboardApi));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(OwnAddress(), pathAndQuery));
        if (DashboardSignIn.KeyOf(caller) is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        // The API sees the manager's address, not the dashboard's loopback one, so one manager's refusals are not everyone's.
        if (caller.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Add("X-Forwarded-For", address.ToString());
        }

        using var response = await http.SendAsync(request, ct);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        if (!response.IsSuccessStatusCode)
        {
            var title = body.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : response.ReasonPhrase;
            return new ApiAnswer<T>(default, null, response.StatusCode, title);
        }

        var options = json.Value.SerializerOptions;
        var freshness = body.RootElement.TryGetProperty("freshness", out var f) ? f.Deserialize<ReportFreshness>(options) : null;
        return new ApiAnswer<T>(body.RootElement.Deserialize<T>(options), freshness, response.StatusCode, null);
    }

    /// <summary>The first address Kestrel listens on, as reachable from this machine (a wildcard becomes loopback).</summary>
    private Uri OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http:", StringComparison.Ordinal))
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The dashboard needs the service on a real port (Kestrel).");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri;
    }
}
