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
    private sealed record Sample(string Name, int? Count, decimal Amount, bool Flag, DateOnly? Day, DateTimeOffset At, Detail? Nested = null);

    /// <summary>A nested object: a jsonb column, as a deal's state is.</summary>
    private sealed record Detail(string Note, int N);

    private const string Fields = "name text, count integer, amount numeric, flag boolean, day date, at timestamptz, nested jsonb";

    [Fact]
    public async Task copied_rows_are_the_rows_their_json_gives()
    {
        object[] rows =
        [
            new Sample("tab\there, line\nbreak\r, back\\slash, \\N and ü", 3, 1234.50m, true, new DateOnly(2026, 3, 29),
                new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)).AddTicks(1_234_567), new Detail("tab\there \"quoted\" back\\slash", 2)),
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
        Assert.Equal(
            [
                "tab\there, line\nbreak\r, back\\slash, \\N and ü|3|1234.50|t|2026-03-29|2026-03-28 23:59:59.123457+00|{\"n\": 2, \"note\": \"tab\\there \\\"quoted\\\" back\\\\slash\"}",
                "|null|-0.01|f|null|2027-01-01 00:00:00+00|null",
            ],
            copied);
    }

    [Fact]
    public async Task many_rows_are_copied_whole_across_the_writes_they_are_handed_on_in()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // About 60 characters a row: 3,000 rows are several of COPY's writes (RowCopy.CharsAtATime).
        object[] rows = [.. Enumerable.Range(0, 3_000).Select(i => new Sample($"row {i:D5}", i, i + 0.50m, i % 2 == 0, null, start.AddMinutes(i)))];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set timezone = 'UTC'; create table copied ({Fields})");

        await RowCopy.CopyAsync(connection, "copied", Fields, rows, CancellationToken.None);

        var copied = await ReadAsync(connection, "copied");
        Assert.Equal(3_000, copied.Count);
        // The first and the last by hand (read in descending name order): 2,999 minutes after the new year is 01-03 01:59.
        Assert.Equal("row 02999|2999|2999.50|f|null|2026-01-03 01:59:00+00|null", copied[0]);
        Assert.Equal("row 00000|0|0.50|t|null|2026-01-01 00:00:00+00|null", copied[^1]);
    }

    private static async Task<List<string>> ReadAsync(NpgsqlConnection connection, string table)
    {
        await using var read = new NpgsqlCommand(
            $"select concat_ws('|', name, coalesce(count::text, 'null'), amount, flag, coalesce(day::text, 'null'), at, coalesce(nested::text, 'null')) from {table} order by name desc", connection);
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
