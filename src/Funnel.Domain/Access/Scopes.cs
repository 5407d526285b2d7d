namespace Funnel.Domain.Access;

/// <summary>What an API key may do. Each endpoint and the message path require exactly one of these.</summary>
public static class Scopes
{
    /// <summary>Deal commands, batches, activities and messages.</summary>
    public const string CommandsWrite = "commands:write";

    /// <summary>Reports, deal reads and the dashboard.</summary>
    public const string ReportsRead = "reports:read";

    /// <summary>Histories, the event feed and exports.</summary>
    public const string EventsRead = "events:read";

    public const string PipelinesAdmin = "pipelines:admin";

    public const string TargetsAdmin = "targets:admin";

    public const string Import = "import";

    /// <summary>Creating, listing and revoking keys.</summary>
    public const string KeysAdmin = "keys:admin";

    public static readonly IReadOnlyList<string> All = [CommandsWrite, ReportsRead, EventsRead, PipelinesAdmin, TargetsAdmin, Import, KeysAdmin];
}
