namespace Funnel.Domain.Access;

/// <summary>What an API key may do. Each endpoint and the message path require exactly one of these.</summary>
public static class Scopes
{
    /// <summary>The everyday ones: deal commands and messages; reports, deal and pipeline reads; histories and the event feed.</summary>
    public const string CommandsWrite = "commands:write", ReportsRead = "reports:read", EventsRead = "events:read";

    /// <summary>The administrative ones: pipelines, targets, importing over the API, and keys themselves.</summary>
    public const string PipelinesAdmin = "pipelines:admin", TargetsAdmin = "targets:admin", Import = "import", KeysAdmin = "keys:admin";

    public static readonly IReadOnlyList<string> All = [CommandsWrite, ReportsRead, EventsRead, PipelinesAdmin, TargetsAdmin, Import, KeysAdmin];
}
