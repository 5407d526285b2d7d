namespace Funnel.Host.Access;

/// <summary>
/// Every kind of refused call (401, 403, 429) as one structured line: key name, tenant, route and reason, never the key.
/// A kind repeated within <see cref="AccessSettings.RefusalLogSeconds"/> is counted, not written again: its next line says
/// how many there were, so a flood of refusals writes a line per kind per window instead of one per call.
/// </summary>
public sealed partial class AccessLog(ILogger<AccessLog> logger, TimeProvider clock, Telemetry.FunnelMetrics metrics, Microsoft.Extensions.Options.IOptions<AccessSettings> settings)
{
    /// <summary>The name of a key presented but refused (revoked), which no principal carries.</summary>
    public const string KeyNameItem = "funnel.access.key-name";

    private readonly Telemetry.RepeatTally tally = new(clock);

    public async Task RefuseAsync(HttpContext context, int status, string field, string rule, string detail, IDictionary<string, object?>? extra = null)
    {
        var user = context.User;
        var keyName = user.Identity?.Name ?? context.Items[KeyNameItem] as string ?? "(none)";
        var tenant = user.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value ?? "(none)";
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        metrics.Refusals.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("rule", rule));

        // A path no route matched is the caller's to choose: it names no kind of its own, or the tallies would grow with it.
        if (tally.Admit($"{status} {rule} {keyName} {tenant} {context.Request.Method} {pattern ?? "(unmatched)"}", TimeSpan.FromSeconds(settings.Value.RefusalLogSeconds), out var repeats))
        {
            var route = pattern ?? context.Request.Path.Value ?? "";
            if (repeats == 0)
            {
                Refused(status, rule, keyName, tenant, context.Request.Method, route);
            }
            else
            {
                RefusedAgain(status, rule, keyName, tenant, context.Request.Method, route, repeats);
            }
        }

        await Problems.Of(status, field, rule, detail, extra).ExecuteAsync(context);
    }

    /// <summary>A message refused for its key, in the same words (the message type where a call has its route).</summary>
    public void RefusedMessage(string rule, ApiKey? key, string? messageType) =>
        RefusedMessage(rule, key?.Name ?? "(none)", key?.Tenant ?? "(none)", messageType ?? "(unknown)");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access refused message {Reason}: key {KeyName}, tenant {Tenant}, {MessageType}")]
    private partial void RefusedMessage(string reason, string keyName, string tenant, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access refused {Status} {Reason}: key {KeyName}, tenant {Tenant}, {Method} {Route}")]
    private partial void Refused(int status, string reason, string keyName, string tenant, string method, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access refused {Status} {Reason}: key {KeyName}, tenant {Tenant}, {Method} {Route} ({Repeats} more like it since the last such line)")]
    private partial void RefusedAgain(int status, string reason, string keyName, string tenant, string method, string route, long repeats);
}
