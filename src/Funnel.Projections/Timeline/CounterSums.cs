using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// How a counter's statement groups its rows, for a recount to do the same in memory: the key columns it writes, the
/// sums after them, whether each row also goes to its month and year (a dated counter: span and bucket after its first
/// key, from the day <paramref name="Spans"/> gives its instant <c>at</c>).
/// </summary>
internal sealed record CounterGroups(IReadOnlyList<CounterKey> Keys, IReadOnlyList<string> Sums, CounterDay? Spans);

/// <summary>A key column: the row's value of that name, or the day <paramref name="Day"/> gives the row's instant <paramref name="From"/>.</summary>
internal sealed record CounterKey(string Column, string? From = null, CounterDay? Day = null);

/// <summary>
/// A recount's rows for one counter summed in memory under the counter's keys, as its statement groups them
/// (<see cref="CounterGroups"/>), then written once by COPY. Staged in PostgreSQL and grouped there, the rows of a
/// recount cost it more than all the rest of a rebuild's counting. A million deals' counters hold millions of groups,
/// so each key column's values are numbered as they are first seen and a group is keyed by its values' numbers (two
/// characters a column, where its values' text took dozens), its sums side by side in one list; each value's text is
/// written once.
/// </summary>
internal sealed class CounterSums(CounterAdd add)
{
    private readonly CounterGroups groups = add.Groups;

    /// <summary>Each key column's values, then (a dated counter) the days, by number.</summary>
    private readonly ValueNumbers[] numbers = [.. Enumerable.Range(0, add.Groups.Keys.Count + (add.Groups.Spans is null ? 0 : 1)).Select(_ => new ValueNumbers())];

    /// <summary>Each group's place in <see cref="sums"/>, by its values' numbers.</summary>
    private readonly Dictionary<string, int> places = new(StringComparer.Ordinal);

    /// <summary>The groups' sums, <see cref="CounterGroups.Sums"/> of them a group.</summary>
    private readonly List<decimal> sums = [];

    public void Add(IReadOnlyList<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var type = rows[0].GetType();
        var keys = groups.Keys.Select(k => (Value: Value(type, k.From ?? k.Column), k.Day)).ToArray();
        var amounts = groups.Sums.Select(s => Value(type, s)).ToArray();
        var at = groups.Spans is null ? null : Value(type, "at");
        var lookup = places.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> key = stackalloc char[2 * numbers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var value = keys[i].Value(row);
                Number(key, i, keys[i].Day is { } rule && value is DateTimeOffset instant ? rule.Of(instant) : value);
            }

            if (groups.Spans is not null)
            {
                Number(key, keys.Length, groups.Spans.Of((DateTimeOffset)at!(row)!));
            }

            var place = PlaceOf(lookup, sums, key, amounts.Length);
            for (var i = 0; i < amounts.Length; i++)
            {
                sums[place + i] += Convert.ToDecimal(amounts[i](row), CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Writes the sums into the counter, which the caller has emptied: a dated counter's days also summed into their months and years.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var columns = groups.Keys.Select(k => k.Column).ToList();
        var (spanned, spannedSums) = groups.Spans is null ? (places, sums) : InSpans();
        if (groups.Spans is not null)
        {
            columns.InsertRange(1, ["span", "bucket"]);
        }

        await using var writer = await connection.BeginTextImportAsync(
            $"copy {add.Counts.Identifier.QualifiedName} ({string.Join(", ", columns.Concat(groups.Sums))}) from stdin", ct);
        var line = new StringBuilder();
        var width = groups.Sums.Count;
        foreach (var (key, place) in spanned)
        {
            // A counter row at zero is no row (the verifier reads it so): a net change summed to nothing, or a statement's row its "having" leaves out.
            if (Enumerable.Range(place, width).All(i => spannedSums[i] == 0))
            {
                continue;
            }

            line.Clear().Append(groups.Spans is null ? KeyText(key, groups.Keys.Count) : SpannedText(key));
            for (var i = place; i < place + width; i++)
            {
                line.Append('\t').Append(spannedSums[i].ToString(CultureInfo.InvariantCulture));
            }

            await writer.WriteAsync(line.Append('\n'));
        }
    }

    /// <summary>
    /// Each day's sums in its day, month and year, keyed as a day's group is with the day's number in the last place
    /// standing for its span (its place in <see cref="CounterCalendar.AllSpans"/>) and bucket (as a day number).
    /// </summary>
    private (Dictionary<string, int> Places, List<decimal> Sums) InSpans()
    {
        var (spannedPlaces, spannedSums, width) = (new Dictionary<string, int>(StringComparer.Ordinal), new List<decimal>(), groups.Sums.Count);
        var (days, dayColumn) = (numbers[^1], numbers.Length - 1);
        var lookup = spannedPlaces.GetAlternateLookup<ReadOnlySpan<char>>();
        var key = new char[2 * numbers.Length + 1];
        foreach (var (dayKey, place) in places)
        {
            dayKey.CopyTo(key);
            var day = (DateOnly)days.ValueOf(dayKey, dayColumn)!;
            for (var span = 0; span < CounterCalendar.AllSpans.Count; span++)
            {
                key[^1] = (char)span;
                Write(key, dayColumn, CounterCalendar.BucketIn(CounterCalendar.AllSpans[span], day).DayNumber);
                var total = PlaceOf(lookup, spannedSums, key, width);
                for (var i = 0; i < width; i++)
                {
                    spannedSums[total + i] += sums[place + i];
                }
            }
        }

        return (spannedPlaces, spannedSums);
    }

    /// <summary>The first <paramref name="count"/> key values' text, tab-separated, as COPY writes them.</summary>
    private string KeyText(string key, int count) => string.Join('\t', Enumerable.Range(0, count).Select(i => numbers[i].TextOf(key, i)));

    /// <summary>A spanned group's key text: its first key, its span and bucket, then the other keys (no value's text holds a tab: COPY escapes it).</summary>
    private string SpannedText(string key)
    {
        var bucket = DateOnly.FromDayNumber(Read(key, numbers.Length - 1));
        var span = CounterCalendar.AllSpans[key[^1]];
        var rest = Enumerable.Range(1, groups.Keys.Count - 1).Select(i => numbers[i].TextOf(key, i));
        return string.Join('\t', [numbers[0].TextOf(key, 0), span, bucket.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. rest]);
    }

    /// <summary>Writes the number of <paramref name="value"/> in column <paramref name="column"/> into the key, two characters a column.</summary>
    private void Number(Span<char> key, int column, object? value) => Write(key, column, numbers[column].NumberOf(value));

    private static void Write(Span<char> key, int column, int number) => (key[2 * column], key[2 * column + 1]) = ((char)(number >> 16), (char)number);

    private static int Read(ReadOnlySpan<char> key, int column) => (key[2 * column] << 16) | key[2 * column + 1];

    /// <summary>The place of the group keyed <paramref name="key"/> in <paramref name="sums"/>, added there with zero sums when new.</summary>
    private static int PlaceOf(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> places, List<decimal> sums, ReadOnlySpan<char> key, int width)
    {
        ref var place = ref CollectionsMarshal.GetValueRefOrAddDefault(places, key, out var exists);
        if (!exists)
        {
            place = sums.Count;
            sums.AddRange(Enumerable.Repeat(0m, width));
        }

        return place;
    }

    private static Func<object, object?> Value(Type type, string column) =>
        RowCopy.ValueOf(type, column) ?? throw new InvalidOperationException($"A {type.Name} has no {column} for the counter it is added to.");

    /// <summary>One key column's values, numbered as they are first seen, each with its text as COPY writes it.</summary>
    private sealed class ValueNumbers
    {
        private readonly Dictionary<object, int> numbers = [];
        private readonly List<(object? Value, string Text)> values = [];
        private int? nullNumber;

        public int NumberOf(object? value)
        {
            if (value is null)
            {
                return nullNumber ??= Added(null);
            }

            ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, value, out var exists);
            return exists ? number : number = Added(value);
        }

        public object? ValueOf(string key, int column) => values[Read(key, column)].Value;

        public string TextOf(string key, int column) => values[Read(key, column)].Text;

        private int Added(object? value)
        {
            var text = new StringBuilder();
            RowCopy.Append(text, value);
            values.Add((value, text.ToString()));
            return values.Count - 1;
        }
    }
}
