using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Timeline;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Funnel.Host.Tests.Storage;

/// <summary>
/// A recount copies a counter's sums in the order of its primary key, so that PostgreSQL adds each row at the right
/// edge of the key's index: values first seen in any order, text ordered by its bytes, numbers as numbers.
/// </summary>
public sealed class CounterSumsOrderTests
{
    private sealed record Row(string Owner, int LagDays, bool Advanced, long N);

    [Fact]
    public async Task the_sums_are_copied_in_the_order_of_the_counters_primary_key_and_a_zero_sum_is_left_out()
    {
        var table = new Table(new PostgresqlObjectName("public", "sums", SchemaUtils.IdentifierUsage.General));
        table.AddColumn("owner", "text").AsPrimaryKey();
        table.AddColumn("lag_days", "integer").AsPrimaryKey();
        table.AddColumn("advanced", "boolean").AsPrimaryKey();
        table.AddColumn("n", "bigint").NotNull();
        var groups = new CounterGroups([new("owner"), new("lag_days"), new("advanced")], ["n"], Spans: null);
        var sums = new CounterSums(new CounterAdd(table, TimelineRows.Fields(table), groups, (_, _) => ""));
        sums.Add(
        [
            new Row("b", 10, true, 1), new Row("a", 9, false, 1), new Row("B", -1, true, 2), new Row("b", 10, true, 3), new Row("a", 10, false, 1),
            new Row("b", 9, false, 1), new Row("a", 9, true, 1), new Row("Z", 0, false, 1), new Row("c", 5, false, 1), new Row("c", 5, false, -1),
        ]);

        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("create table sums (owner text, lag_days integer, advanced boolean, n bigint not null, primary key (owner, lag_days, advanced))", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await sums.CopyAsync(connection, CancellationToken.None);

        // By hand: upper case before lower (byte order), 9 before 10, false before true; b/10/true summed 1 + 3; c/5/false summed to nothing.
        var copied = await ReadAsync(connection, "ctid");
        Assert.Equal(["B|-1|t|2", "Z|0|f|1", "a|9|f|1", "a|9|t|1", "a|10|f|1", "b|9|f|1", "b|10|t|4"], copied);
        Assert.Equal(await ReadAsync(connection, "owner collate \"C\", lag_days, advanced"), copied);
    }

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string order)
    {
        await using var read = new NpgsqlCommand($"select concat_ws('|', owner, lag_days, advanced, n) from sums order by {order}", connection);
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
