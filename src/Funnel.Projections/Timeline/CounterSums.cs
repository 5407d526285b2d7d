using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// How a counter's statement groups its rows, for a recount to do the same in memory: the key columns it writes, the
/// sums after them, whether each row also goes to its month and year (a dated counter: span and bucket after its first
/// key, from the day <paramref name="Spans"/> gives its instant <c>at</c>), and whether groups whose sums are all zero are left out.
/// </summary>
internal sealed record CounterGroups(IReadOnlyList<CounterKey> Keys, IReadOnlyList<string> Sums, CounterDay? Spans, bool LeaveOutZeros);

/// <summary>A key column: the row's value of that name, or the day <paramref name="Day"/> gives the row's instant <paramref name="From"/>.</summary>
internal sealed record CounterKey(string Column, string? From = null, CounterDay? Day = null);

/// <summary>
/// A recount's rows for one counter summed in memory under the counter's keys, as its statement groups them
/// (<see cref="CounterGroups"/>), then written once by COPY. Staged in PostgreSQL and grouped there, the rows of a
/// recount cost it more than all the rest of a rebuild's counting.
/// </summary>
internal sealed class CounterSums(CounterAdd add)
{
    private readonly CounterGroups groups = add.Groups;

    /// <summary>The sums by the key columns' text (tab-separated, as COPY writes them) and, for a dated counter, the day.</summary>
    private readonly Dictionary<(string Keys, DateOnly Day), decimal[]> totals = [];

    public void Add(IReadOnlyList<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var type = rows[0].GetType();
        var keys = groups.Keys.Select(k => (Value: Value(type, k.From ?? k.Column), k.Day)).ToArray();
        var sums = groups.Sums.Select(s => Value(type, s)).ToArray();
        var at = groups.Spans is null ? null : Value(type, "at");
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Length = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                var value = keys[i].Value(row);
                RowCopy.Append(i == 0 ? text : text.Append('\t'), keys[i].Day is { } rule && value is DateTimeOffset instant ? rule.Of(instant) : value);
            }

            var day = groups.Spans is null ? default : groups.Spans.Of((DateTimeOffset)at!(row)!);
            var total = TotalOf(totals, (text.ToString(), day));
            for (var i = 0; i < sums.Length; i++)
            {
                total[i] += Convert.ToDecimal(sums[i](row), CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Writes the sums into the counter, which the caller has emptied: a dated counter's days also summed into their months and years.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var columns = groups.Keys.Select(k => k.Column).ToList();
        var rows = totals.Select(t => (t.Key.Keys, t.Value));
        if (groups.Spans is not null)
        {
            columns.InsertRange(1, ["span", "bucket"]);
            rows = InSpans();
        }

        await using var writer = await connection.BeginTextImportAsync(
            $"copy {add.Counts.Identifier.QualifiedName} ({string.Join(", ", columns.Concat(groups.Sums))}) from stdin", ct);
        var line = new StringBuilder();
        foreach (var (keys, amounts) in rows)
        {
            if (groups.LeaveOutZeros && amounts.All(a => a == 0))
            {
                continue;
            }

            line.Clear().Append(keys);
            foreach (var amount in amounts)
            {
                line.Append('\t').Append(amount.ToString(CultureInfo.InvariantCulture));
            }

            await writer.WriteAsync(line.Append('\n'));
        }
    }

    /// <summary>Each day's sums in its day, month and year: span and bucket after the first key (no value's text holds a tab: COPY escapes it).</summary>
    private IEnumerable<(string Keys, decimal[] Amounts)> InSpans()
    {
        var spanned = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        foreach (var ((keys, day), amounts) in totals)
        {
            var cut = keys.IndexOf('\t') is var tab and >= 0 ? tab : keys.Length;
            foreach (var span in CounterCalendar.AllSpans)
            {
                var total = TotalOf(spanned, $"{keys[..cut]}\t{span}\t{CounterCalendar.BucketIn(span, day):yyyy-MM-dd}{keys[cut..]}");
                for (var i = 0; i < amounts.Length; i++)
                {
                    total[i] += amounts[i];
                }
            }
        }

        return spanned.Select(s => (s.Key, s.Value));
    }

    /// <summary>The sums under a key, zeros when it is new.</summary>
    private decimal[] TotalOf<TKey>(Dictionary<TKey, decimal[]> into, TKey key)
        where TKey : notnull
    {
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(into, key, out _);
        return total ??= new decimal[groups.Sums.Count];
    }

    private static Func<object, object?> Value(Type type, string column) =>
        RowCopy.ValueOf(type, column) ?? throw new InvalidOperationException($"A {type.Name} has no {column} for the counter it is added to.");
}
