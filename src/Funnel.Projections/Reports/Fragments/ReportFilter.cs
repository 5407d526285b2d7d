using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>The filters every report takes (each repeatable), echoed back in its answer.</summary>
public sealed record ReportFilter(IReadOnlyList<string> Owner, IReadOnlyList<string> Team, IReadOnlyList<string> Region, IReadOnlyList<string> Product)
{
    public static ReportFilter None { get; } = new([], [], [], []);

    /// <summary>No filter given: every deal counts (a report may then read totals over the filter attributes).</summary>
    public bool SelectsAll => Owner.Count == 0 && Team.Count == 0 && Region.Count == 0 && Product.Count == 0;

    /// <summary>The SQL condition on a row source aliased <paramref name="alias"/> with owner, team, region and product columns.</summary>
    public static string Sql(string alias) =>
        $"(cardinality(@owner) = 0 or {alias}.owner = any(@owner)) and (cardinality(@team) = 0 or {alias}.team = any(@team)) " +
        $"and (cardinality(@region) = 0 or {alias}.region = any(@region)) and (cardinality(@product) = 0 or {alias}.product = any(@product))";

    public void AddParameters(NpgsqlCommand command)
    {
        ReportDatabase.Add(command, "owner", Owner);
        ReportDatabase.Add(command, "team", Team);
        ReportDatabase.Add(command, "region", Region);
        ReportDatabase.Add(command, "product", Product);
    }
}
