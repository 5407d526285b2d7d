using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Timeline;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Host.Tests.Storage;

/// <summary>
/// Rows a rebuild writes by COPY must be the rows the live projection writes as JSON: the same text, numbers, dates,
/// nulls, and instants rounded to the microsecond the same way.
/// </summary>
public sealed class RowCopyTests
{
    private sealed record Sample(string Name, int? Count, decimal Amount, bool Flag, DateOnly? Day, DateTimeOffset At);

    private const string Fields = "name text, count integer, amount numeric, flag boolean, day date, at timestamptz";

    [Fact]
    public async Task copied_rows_are_the_rows_their_json_gives()
    {
        object[] rows =
        [
            new Sample("tab\there, line\nbreak\r, back\\slash, \\N and ü", 3, 1234.50m, true, new DateOnly(2026, 3, 29),
                new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)).AddTicks(1_234_567)),
            new Sample("", null, -0.01m, false, null, DateTimeOffset.Parse("2026-12-31T23:59:59.9999995+00:00", System.Globalization.CultureInfo.InvariantCulture)),
        ];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set timezone = 'UTC'; create table copied ({Fields}); create table parsed ({Fields})");

        await RowCopy.CopyAsync(connection, "copied", Fields, rows, CancellationToken.None);
        await using (var insert = new NpgsqlCommand("insert into parsed select * from jsonb_populate_recordset(null::parsed, $1::jsonb)", connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = TimelineRows.Serialize(rows) });
            await insert.ExecuteNonQueryAsync();
        }

        var (copied, parsed) = (await ReadAsync(connection, "copied"), await ReadAsync(connection, "parsed"));
        Assert.Equal(parsed, copied);
        // By hand: 01:59:59.1234567 at +02:00 is 23:59:59.123457 UTC the day before (ticks rounded to the microsecond).
        Assert.Equal(["tab\there, line\nbreak\r, back\\slash, \\N and ü|3|1234.50|t|2026-03-29|2026-03-28 23:59:59.123457+00", "|null|-0.01|f|null|2027-01-01 00:00:00+00"], copied);
    }

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string table)
    {
        await using var read = new NpgsqlCommand(
            $"select concat_ws('|', name, coalesce(count::text, 'null'), amount, flag, coalesce(day::text, 'null'), at) from {table} order by name desc", connection);
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
