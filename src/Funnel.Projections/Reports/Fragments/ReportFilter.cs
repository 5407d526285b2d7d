using Npgsql;
using NpgsqlTypes;

namespace Funnel.Projections.Reports;

/// <summary>The filters every report takes (each repeatable), echoed back in its answer.</summary>
public sealed record ReportFilter(IReadOnlyList<string> Owner, IReadOnlyList<string> Team, IReadOnlyList<string> Region, IReadOnlyList<string> Product)
{
    public static ReportFilter None { get; } = new([], [], [], []);

    /// <summary>The SQL condition on a row source aliased <paramref name="alias"/> with owner, team, region and product columns.</summary>
    public static string Sql(string alias) =>
        $"(cardinality(@owner) = 0 or {alias}.owner = any(@owner)) and (cardinality(@team) = 0 or {alias}.team = any(@team)) " +
        $"and (cardinality(@region) = 0 or {alias}.region = any(@region)) and (cardinality(@product) = 0 or {alias}.product = any(@product))";

    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Owner.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("team", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Team.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("region", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Region.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("product", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Product.ToArray() });
    }
}
