namespace Funnel.Host.Access;

/// <summary>Every refused call (401, 403, 429) as one structured line: key name, tenant, route and reason, never the key.</summary>
public sealed partial class AccessLog(ILogger<AccessLog> logger)
{
    /// <summary>The name of a key presented but refused (revoked), which no principal carries.</summary>
    public const string KeyNameItem = "funnel.access.key-name";

    public async Task RefuseAsync(HttpContext context, int status, string field, string rule, string detail, IDictionary<string, object?>? extra = null)
    {
        var user = context.User;
        var keyName = user.Identity?.Name ?? context.Items[KeyNameItem] as string;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        Refused(status, rule, keyName ?? "(none)", user.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value ?? "(none)", context.Request.Method, route);
        await Problems.Of(status, field, rule, detail, extra).ExecuteAsync(context);
    }

    /// <summary>A message refused for its key, in the same words (the message type where a call has its route).</summary>
    public void RefusedMessage(string rule, ApiKey? key, string? messageType) =>
        RefusedMessage(rule, key?.Id ?? "(none)", key?.Tenant ?? "(none)", messageType ?? "(unknown)");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access refused message {Reason}: key {KeyName}, tenant {Tenant}, {MessageType}")]
    private partial void RefusedMessage(string reason, string keyName, string tenant, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access refused {Status} {Reason}: key {KeyName}, tenant {Tenant}, {Method} {Route}")]
    private partial void Refused(int status, string reason, string keyName, string tenant, string method, string route);
}
