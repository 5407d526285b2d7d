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
    /// <summary>A row of every type COPY writes: <paramref name="Big"/> an int into a bigint column, <paramref name="State"/> JSON kept as text, as a deal's state is.</summary>
    private sealed record Sample(string Name, int? Count, decimal Amount, bool Flag, DateOnly? Day, DateTimeOffset At, int Big = 0, string? Period = null, string? State = null);

    private const string Fields = "name text, count integer, amount numeric, flag boolean, day date, at timestamptz, big bigint, period tstzrange, state text";

    [Fact]
    public async Task copied_rows_are_the_rows_their_json_gives()
    {
        var at = new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        object[] rows =
        [
            new Sample("tab\there, line\nbreak\r, back\\slash, \\N and ü", 3, 1234.50m, true, new DateOnly(2026, 3, 29), at,
                int.MaxValue, $"[{at:O},{at.AddTicks(5):O})", """{"note":"tab\there \"quoted\" back\\slash","n":2}"""),
            new Sample("", null, -0.01m, false, null, DateTimeOffset.Parse("2026-12-31T23:59:59.9999995+00:00", System.Globalization.CultureInfo.InvariantCulture),
                Period: $"[{at:O},)"),
            // Sub-microsecond ticks at and around the half, which PostgreSQL rounds as it reads the JSON's digits; an empty period.
            .. new[] { 5, 15, 25, 1_234_565, 9_999_985 }.Select(ticks => new Sample($"ticks {ticks}", ticks, 0m, true, null, at.AddTicks(ticks - 1_234_567),
                Period: $"[{at:O},{at:O})")),
        ];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set timezone = 'UTC'; create table copied ({Fields}); create table parsed ({Fields})");

        await RowCopy.CopyAsync(connection, "copied", Fields, rows, CancellationToken.None);
        await InsertParsedAsync(connection, TimelineRows.Serialize(rows));

        var (copied, parsed) = (await ReadAsync(connection, "copied"), await ReadAsync(connection, "parsed"));
        Assert.Equal(parsed, copied);
        // By hand: 01:59:59.1234567 at +02:00 is 23:59:59.123457 UTC the day before (ticks rounded to the microsecond),
        // and five ticks later still that microsecond (.1234572): the period from one to the other is empty.
        Assert.Equal(
            "tab\there, line\nbreak\r, back\\slash, \\N and ü|3|1234.50|t|2026-03-29|2026-03-28 23:59:59.123457+00" +
            "|2147483647|empty|{\"note\":\"tab\\there \\\"quoted\\\" back\\\\slash\",\"n\":2}",
            copied[1]);
        Assert.Equal("|null|-0.01|f|null|2027-01-01 00:00:00+00|0|[\"2026-03-28 23:59:59.123457+00\",)|null", copied[0]);
    }

    [Fact]
    public async Task many_rows_are_copied_whole_across_the_writes_they_are_handed_on_in()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // 3,000 rows of about 75 bytes: more than the 64 KB handed to COPY at a time.
        object[] rows = [.. Enumerable.Range(0, 3_000).Select(i => new Sample($"row {i:D5}", i, i + 0.50m, i % 2 == 0, null, start.AddMinutes(i)))];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set timezone = 'UTC'; create table copied ({Fields})");

        await RowCopy.CopyAsync(connection, "copied", Fields, rows, CancellationToken.None);

        var copied = await ReadAsync(connection, "copied");
        Assert.Equal(3_000, copied.Count);
        // The first and the last by hand (read in name order): 2,999 minutes after the new year is 01-03 01:59.
        Assert.Equal("row 02999|2999|2999.50|f|null|2026-01-03 01:59:00+00|0|null|null", copied[^1]);
        Assert.Equal("row 00000|0|0.50|t|null|2026-01-01 00:00:00+00|0|null|null", copied[0]);
    }

    /// <summary>A numeric alone, in the order of <paramref name="Order"/>.</summary>
    private sealed record Number(int Order, decimal Value);

    [Fact]
    public async Task numerics_are_copied_with_every_digit_and_their_scale()
    {
        // Base-10,000 groups on both sides of the point, zeros inside, before and after them, the largest decimal.
        decimal[] values = [0m, 0.00m, 1m, -1m, 9999m, 10000m, 100000000m, 1.0000m, 0.0001m, 0.00001m, 12345678.9012m, -0.01m,
            1234.50m, -123456789012345678.123456789m, 0.0000000000000000000000000001m, decimal.MaxValue, decimal.MinValue];
        object[] rows = [.. values.Select((v, i) => new Number(i, v))];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "create table copied (\"order\" integer, value numeric)");

        await RowCopy.CopyAsync(connection, "copied", "\"order\" integer, value numeric", rows, CancellationToken.None);

        // By hand: PostgreSQL prints a numeric with the scale it was given, as .NET prints a decimal.
        var copied = await ReadLinesAsync(connection, "select value::text from copied order by \"order\"");
        Assert.Equal(values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), copied);
    }

    [Fact]
    public async Task values_in_copys_text_format_are_the_values_their_json_gives()
    {
        // The counter sums' keys and sums go by COPY's text format (CopyText): escapes, nulls, days and instants.
        const string fields = "name text, count integer, amount numeric, flag boolean, day date, at timestamptz";
        var at = new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        object?[][] rows = [["tab\there, line\nbreak\r, back\\slash, \\N and ü", 3, 1234.50m, true, new DateOnly(2026, 3, 29), at], ["", null, -0.01m, false, null, at.AddTicks(10)]];
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set timezone = 'UTC'; create table copied ({fields}); create table parsed ({fields})");

        await using (var writer = await connection.BeginTextImportAsync("copy copied from stdin"))
        {
            var lines = new System.Text.StringBuilder();
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    CopyText.Append(i == 0 ? lines : lines.Append('\t'), row[i]);
                }

                lines.Append('\n');
            }

            await CopyText.HandOnAsync(writer, lines, last: true);
        }

        var json = TimelineRows.Serialize(rows.Select(r => new { name = r[0], count = r[1], amount = r[2], flag = r[3], day = r[4], at = r[5] }));
        await InsertParsedAsync(connection, json);

        const string read = "select concat_ws('|', name, coalesce(count::text, 'null'), amount, flag, coalesce(day::text, 'null'), at) from {0} order by name";
        var (copied, parsed) = (await ReadLinesAsync(connection, string.Format(read, "copied")), await ReadLinesAsync(connection, string.Format(read, "parsed")));
        Assert.Equal(parsed, copied);
        // By hand: .1234567 rounds to .123457, and ten ticks later .1234577 to .123458.
        Assert.Equal(["|null|-0.01|f|null|2026-03-28 23:59:59.123458+00", "tab\there, line\nbreak\r, back\\slash, \\N and ü|3|1234.50|t|2026-03-29|2026-03-28 23:59:59.123457+00"], copied);
    }

    private static Task<List<string>> ReadAsync(NpgsqlConnection connection, string table) => ReadLinesAsync(connection,
        $"select concat_ws('|', name, coalesce(count::text, 'null'), amount, flag, coalesce(day::text, 'null'), at, " +
        $"big, coalesce(period::text, 'null'), coalesce(state, 'null')) from {table} order by name");

    private static async Task<List<string>> ReadLinesAsync(NpgsqlConnection connection, string sql)
    {
        await using var read = new NpgsqlCommand(sql, connection);
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>The rows of <paramref name="json"/> into table parsed, as the live projection writes rows from their JSON.</summary>
    private static async Task InsertParsedAsync(NpgsqlConnection connection, string json)
    {
        await using var insert = new NpgsqlCommand("insert into parsed select * from jsonb_populate_recordset(null::parsed, $1::jsonb)", connection);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json });
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
