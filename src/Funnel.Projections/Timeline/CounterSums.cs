using System.Globalization;
using System.Linq.Expressions;
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
/// A recount's rows (or a catch-up's changes: <see cref="StateSums"/>) for one counter summed in memory under the
/// counter's keys, as its statement groups them (<see cref="CounterGroups"/>), then written once by COPY. Staged in PostgreSQL and grouped there, the rows of a
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

    /// <summary>Each row type's reader (<see cref="ReaderOf"/>).</summary>
    private readonly Dictionary<Type, (Func<object, int>[] Keys, Func<object, decimal>[] Sums)> readers = [];

    public void Add(IReadOnlyList<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (keys, amounts) = ReaderOf(rows[0].GetType());
        var lookup = places.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> key = stackalloc char[2 * numbers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                Write(key, i, keys[i](row));
            }

            var place = PlaceOf(lookup, sums, key, amounts.Length);
            for (var i = 0; i < amounts.Length; i++)
            {
                sums[place + i] += amounts[i](row);
            }
        }
    }

    /// <summary>
    /// A row type's key columns as their values' numbers (a day key as its day, and a dated counter's instant <c>at</c>
    /// last, as its day) and its sums as decimals, compiled once: read through <see cref="object"/>, every value was boxed,
    /// and summing was most of what a catch-up's batches added to the service's work.
    /// </summary>
    private (Func<object, int>[] Keys, Func<object, decimal>[] Sums) ReaderOf(Type type)
    {
        if (readers.TryGetValue(type, out var reader))
        {
            return reader;
        }

        var row = Expression.Parameter(typeof(object));
        Expression Column(string name) => Expression.Property(Expression.Convert(row, type), RowCopy.PropertyOf(type, name)
            ?? throw new InvalidOperationException($"A {type.Name} has no {name} for the counter it is added to."));
        Expression DayOf(CounterDay day, Expression instant) => instant.Type == typeof(DateTimeOffset)
            ? Expression.Invoke(Expression.Constant(day.Of), instant)
            : throw new InvalidOperationException($"A {type.Name}'s day key is read from a {instant.Type.Name}, not an instant.");
        Expression Key(CounterKey key)
        {
            var value = Column(key.From ?? key.Column);
            return key.Day is { } day ? DayOf(day, value) : value;
        }

        Func<object, int> Numbered(int column, Expression value) =>
            Expression.Lambda<Func<object, int>>(Expression.Call(Expression.Constant(numbers[column]), nameof(ValueNumbers.NumberOf), [value.Type], value), row).Compile();
        Func<object, decimal> Summed(Expression value) => Expression.Lambda<Func<object, decimal>>(
            Expression.Convert(Nullable.GetUnderlyingType(value.Type) is { } underlying ? Expression.Coalesce(value, Expression.Default(underlying)) : value, typeof(decimal)), row).Compile();

        var keys = groups.Keys.Select((k, i) => Numbered(i, Key(k)));
        if (groups.Spans is { } spans)
        {
            keys = keys.Append(Numbered(groups.Keys.Count, DayOf(spans, Column("at"))));
        }

        return readers[type] = ([.. keys], [.. groups.Sums.Select(s => Summed(Column(s)))]);
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

    /// <summary>One key column's values, numbered as they are first seen, each with its text as COPY writes it.</summary>
    private sealed class ValueNumbers
    {
        /// <summary>The numbers by value: a <c>Dictionary&lt;T, int&gt;</c> of the column's one type.</summary>
        private object? numbers;
        private readonly List<(object? Value, string Text)> values = [];
        private int? nullNumber;

        public int NumberOf<T>(T value)
            where T : notnull
        {
            if (value is null)
            {
                return nullNumber ??= Added(null);
            }

            var byValue = (Dictionary<T, int>)(numbers ??= new Dictionary<T, int>());
            ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(byValue, value, out var exists);
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
