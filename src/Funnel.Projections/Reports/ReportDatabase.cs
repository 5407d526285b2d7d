using Funnel.Domain.Access;
using Funnel.Projections.Timeline;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Projections.Reports;

/// <summary>Runs report SQL against one tenant's read-model tables: plain indexed queries, never a replay of events.</summary>
/// <param name="tenant">The tenant whose read models <paramref name="dataSource"/> reaches (its search_path).</param>
public sealed class ReportDatabase(NpgsqlDataSource dataSource, string tenant = Tenants.Default)
{
    public string Tenant => tenant;

    /// <summary>
    /// The reports' own connections for one tenant. Their search_path is the tenant's read-model schema alone, so the
    /// reports' unqualified table names reach that tenant's rows and no other's. They run many short indexed reads; on a
    /// small machine parallel workers cost more to start than they save (velocity at 100k deals: 100 ms with them, 26 ms
    /// without), and so does JIT compilation, which the planner turns on when its estimates of a long statement run high
    /// (dwell at a million deals: 1,675 ms compiling a statement that ran in 30).
    /// </summary>
    public static ReportDatabase Connect(string connectionString, string tenant = Tenants.Default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = TenantStorage.ReadModelSchema(tenant) };
        builder.Options = $"{builder.Options} -c max_parallel_workers_per_gather=0 -c jit=off".Trim();
        return new(NpgsqlDataSource.Create(builder.ConnectionString), tenant);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        parameters(command);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>True when no deal in the pipeline has an event after <paramref name="asOf"/>: the funnel as it stands is its answer at that instant.</summary>
    public async Task<bool> NothingAfterAsync(string pipelineId, DateTimeOffset asOf, CancellationToken ct) =>
        (await QueryAsync(
            $"select coalesce((select max(valid_from) from {TimelineTables.DealIntervals} where pipeline_id = @pipeline) <= @asOf, true) as nothing_after",
            c =>
            {
                Add(c, "pipeline", pipelineId);
                Add(c, "asOf", asOf);
            },
            r => Column<bool>(r, "nothing_after"), ct)).Single();

    /// <summary>
    /// True when the dated counters answer for days in <paramref name="zone"/>: they were cut in it, by this version, and
    /// counted from the tenant's first event (<see cref="TimelineTableSet.CounterCalendar"/>).
    /// </summary>
    public async Task<bool> CountedInAsync(TimeZoneInfo zone, CancellationToken ct) =>
        (await QueryAsync(
            $"""
            select coalesce((select c.zone = @zone and c.version = {CounterCalendar.Version} and c.counted_from <= coalesce((select min(seq_id) from {StoreTables.Events} where tenant_id = @tenant), c.counted_from)
                             from {TimelineTables.CounterCalendar} c), false) as counted
            """,
            c =>
            {
                Add(c, "zone", zone.Id);
                Add(c, "tenant", TenantStorage.MartenId(tenant));
            },
            r => Column<bool>(r, "counted"), ct)).Single();

    public static void Add(NpgsqlCommand command, string name, DateTimeOffset? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value });

    public static void Add(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    /// <summary>A list of texts (a repeatable filter): an empty one matches everything (<c>cardinality(@name) = 0</c>).</summary>
    public static void Add(NpgsqlCommand command, string name, IReadOnlyList<string> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    public static void Add(NpgsqlCommand command, string name, long value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value });

    public static void Add(NpgsqlCommand command, string name, TimeSpan? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Interval) { Value = (object?)value ?? DBNull.Value });

    /// <summary>A column's value by its name (nullable types come back null for SQL null).</summary>
    public static T Column<T>(NpgsqlDataReader reader, string name)
    {
        var ordinal = reader.GetOrdinal(name);
        return reader.IsDBNull(ordinal) ? default! : reader.GetFieldValue<T>(ordinal);
    }

    /// <summary>A deal list (explain) by column name; empty for SQL null.</summary>
    public static string[] Strings(NpgsqlDataReader reader, string name) => Column<string[]?>(reader, name) ?? [];

    public static long[] Longs(NpgsqlDataReader reader, string name) => Column<long[]?>(reader, name) ?? [];

    /// <summary>Ratios and days come back rounded to 6 decimals, so the JSON is stable and readable.</summary>
    public static decimal Ratio(long part, long whole) => whole == 0 ? 0m : Math.Round((decimal)part / whole, 6);
}
