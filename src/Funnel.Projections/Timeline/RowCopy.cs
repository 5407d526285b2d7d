using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Rows written with COPY in PostgreSQL's binary format (<see cref="BinaryRows"/>), each column from the row's property
/// of that name (snake_case, as the rows' JSON names it; null when it has none). A recount stages millions of rows: as
/// jsonb arrays PostgreSQL built and took apart every one of them, and as text it still parsed every instant, number and
/// date (COPY of a million-deal rebuild's deal intervals took it 18.9 s from text and 11.7 s from binary). A copied row
/// is the row the JSON would have given (<see cref="BinaryRows.Instant"/> rounds as PostgreSQL reads the JSON's digits).
/// </summary>
internal static class RowCopy
{
    private static readonly ConcurrentDictionary<(Type, string), Action<BinaryRows, object>[]> Writers = new();

    /// <summary>How many bytes of rows are handed to COPY at a time.</summary>
    private const int BytesAtATime = 1 << 16;

    /// <param name="fields">The columns as "name type, name type, ..." (<see cref="TimelineRows.Fields"/>).</param>
    public static async Task CopyAsync(NpgsqlConnection connection, string table, string fields, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = fields.Split(", ").Select(f => f.Split(' ', 2)).ToArray();
        var writers = Writers.GetOrAdd((rows[0].GetType(), fields), key => [.. columns.Select(c => WriterOf(key.Item1, c[0].Trim('"'), c[1]))]);
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            $"copy {table} ({string.Join(", ", columns.Select(c => c[0]))}) from stdin (format binary)", ct);
        try
        {
            var written = new BinaryRows();
            foreach (var row in rows)
            {
                written.BeginRow((short)writers.Length);
                foreach (var write in writers)
                {
                    write(written, row);
                }

                if (written.Length >= BytesAtATime)
                {
                    await copy.WriteAsync(written.Written, ct);
                    written.Clear();
                }
            }

            written.End();
            await copy.WriteAsync(written.Written, ct);
        }
        catch
        {
            // Disposed as it is, the stream would end the COPY and keep the rows written so far.
            await copy.CancelAsync();
            throw;
        }
    }

    /// <summary>A row type's property for a column: the one its name in snake_case names; null when it has none.</summary>
    public static PropertyInfo? PropertyOf(Type type, string column) =>
        type.GetProperties().FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == column);

    /// <summary>
    /// Writes a column of type <paramref name="columnType"/> from the row's property for it, compiled once a row type:
    /// read through <see cref="object"/>, every value of millions of rows was boxed.
    /// </summary>
    private static Action<BinaryRows, object> WriterOf(Type type, string column, string columnType)
    {
        var property = PropertyOf(type, column);
        if (property is null)
        {
            return (rows, _) => rows.Null();
        }

        var (rowsParameter, row) = (Expression.Parameter(typeof(BinaryRows)), Expression.Parameter(typeof(object)));
        var value = Expression.Property(Expression.Convert(row, type), property);
        var nullable = !value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null;
        var underlying = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var (write, clr) = columnType switch
        {
            "timestamptz" when underlying == typeof(DateTimeOffset) => (Writes(nameof(BinaryRows.Instant)), underlying),
            "tstzrange" when underlying == typeof(string) => (typeof(RowCopy).GetMethod(nameof(WritePeriod), BindingFlags.NonPublic | BindingFlags.Static)!, underlying),
            "text" when underlying == typeof(string) => (Writes(nameof(BinaryRows.Text)), underlying),
            "jsonb" when underlying == typeof(string) => (Writes(nameof(BinaryRows.Jsonb)), underlying),
            "integer" => (Writes(nameof(BinaryRows.Int32)), typeof(int)),
            "bigint" => (Writes(nameof(BinaryRows.Int64)), typeof(long)),
            "numeric" => (Writes(nameof(BinaryRows.Numeric)), typeof(decimal)),
            "boolean" => (Writes(nameof(BinaryRows.Boolean)), typeof(bool)),
            "date" => (Writes(nameof(BinaryRows.Date)), typeof(DateOnly)),
            _ => throw new InvalidOperationException($"{type.Name}.{column}: COPY writes no {columnType} column from it."),
        };

        // A value of the column's own type (an int of a bigint column widened); a nullable one null when it has none.
        var converted = Expression.Convert(value, clr);
        Expression call = write.IsStatic ? Expression.Call(write, rowsParameter, converted) : Expression.Call(rowsParameter, write, converted);
        if (nullable)
        {
            var present = value.Type.IsValueType ? (Expression)Expression.Property(value, "HasValue") : Expression.NotEqual(value, Expression.Constant(null));
            call = Expression.IfThenElse(present, call, Expression.Call(rowsParameter, nameof(BinaryRows.Null), null));
        }

        return Expression.Lambda<Action<BinaryRows, object>>(call, rowsParameter, row).Compile();
    }

    /// <summary>The method of <see cref="BinaryRows"/> that writes a value of one type.</summary>
    private static MethodInfo Writes(string method) => typeof(BinaryRows).GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!;

    /// <summary>A period given as the text of a range from an instant, to another or unbounded ("[from,to)", "[from,)").</summary>
    private static void WritePeriod(BinaryRows rows, string period)
    {
        var comma = period.IndexOf(',', StringComparison.Ordinal);
        if (period[0] != '[' || period[^1] != ')' || comma < 0)
        {
            throw new FormatException($"'{period}' is not a period '[from,to)' or '[from,)'.");
        }

        var to = period.AsSpan(comma + 1, period.Length - comma - 2);
        rows.Period(Instant(period.AsSpan(1, comma - 1)), to.IsEmpty ? null : Instant(to));
    }

    // The rows' periods hold instants in the round-trip format ("O"), which has a fast parse of its own.
    private static DateTimeOffset Instant(ReadOnlySpan<char> text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
}
