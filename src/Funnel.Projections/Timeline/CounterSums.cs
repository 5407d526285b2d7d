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
/// A recount's rows (or a catch-up's changes: <see cref="SummedCounters"/>) for one counter summed in memory under the
/// counter's keys, as its statement groups them (<see cref="CounterGroups"/>), then written once by COPY. Staged in PostgreSQL and grouped there, the rows of a
/// recount cost it more than all the rest of a rebuild's counting. A million deals' counters hold millions of groups,
/// so each key column's values are numbered as they are first seen and a group is keyed by its values' numbers packed
/// into one <see cref="GroupKey"/> (held in the dictionary's own entries, where a string a group took a million-deal
/// rebuild's peak memory from 1.1–1.3 GB to 1.4), its sums side by side in one list; each value's text is written once.
/// </summary>
internal sealed class CounterSums(CounterAdd add)
{
    private readonly CounterGroups groups = add.Groups;

    /// <summary>Each key column's values, then (a dated counter) the days, by number.</summary>
    private readonly ValueNumbers[] numbers = [.. Enumerable.Range(0, add.Groups.Keys.Count + (add.Groups.Spans is null ? 0 : 1)).Select(_ => new ValueNumbers())];

    /// <summary>Each group's place in <see cref="sums"/>, by its values' numbers.</summary>
    private readonly Dictionary<GroupKey, int> places = GroupKey.Fits(add.Groups.Keys.Count + (add.Groups.Spans is null ? 0 : 2))
        ? []
        : throw new InvalidOperationException($"{add.Counts.Identifier.Name} has more key columns than a group key holds ({GroupKey.Columns}).");

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
        foreach (var row in rows)
        {
            var key = default(GroupKey);
            for (var i = 0; i < keys.Length; i++)
            {
                key = key.With(i, keys[i](row));
            }

            var place = PlaceOf(places, sums, key, amounts.Length);
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
        // A row whose instant is already a day (its counter's days drawn with more than one rule: RowCounters) gives it as is.
        Expression DayOf(CounterDay day, Expression instant) => instant.Type == typeof(DateTimeOffset)
            ? Expression.Invoke(Expression.Constant(day.Of), instant)
            : instant.Type == typeof(DateOnly) ? instant
            : throw new InvalidOperationException($"A {type.Name}'s day key is read from a {instant.Type.Name}, not an instant or a day.");
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

    /// <summary>
    /// Writes the sums into the counter, which the caller has emptied, or into <paramref name="into"/> (a table with the
    /// counter's columns): a dated counter's days also summed into their months and years.
    /// </summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken ct, string? into = null)
    {
        var keys = CopiedKeys();
        var (spanned, spannedSums) = groups.Spans is null ? (places, sums) : InSpans();
        await using var writer = await connection.BeginTextImportAsync(
            $"copy {into ?? add.Counts.Identifier.QualifiedName} ({string.Join(", ", keys.Select(k => k.Column).Concat(groups.Sums))}) from stdin", ct);
        var line = new StringBuilder();
        var width = groups.Sums.Count;
        foreach (var (key, place) in InKeyOrder(spanned, keys))
        {
            // A counter row at zero is no row (the verifier reads it so): a net change summed to nothing, or a statement's row its "having" leaves out.
            if (Enumerable.Range(place, width).All(i => spannedSums[i] == 0))
            {
                continue;
            }

            // No value's text holds a tab: COPY escapes it.
            line.AppendJoin('\t', keys.Select(k => k.Text(key)));
            for (var i = place; i < place + width; i++)
            {
                line.Append('\t').Append(spannedSums[i].ToString(CultureInfo.InvariantCulture));
            }

            await CopyText.HandOnAsync(writer, line.Append('\n'));
        }

        await CopyText.HandOnAsync(writer, line, last: true);
    }

    /// <summary>
    /// The key columns as COPY writes them (a dated counter's first key, then its span and bucket, then the other keys),
    /// each with a group's value as text and its rank in the column's ascending order (<see cref="ValueNumbers.RanksOf"/>).
    /// </summary>
    private IReadOnlyList<(string Column, Func<GroupKey, string> Text, Func<GroupKey, int> Rank)> CopiedKeys()
    {
        var ranks = numbers.Select(n => n.Ranks()).ToArray();
        (string, Func<GroupKey, string>, Func<GroupKey, int>) Numbered(int i) =>
            (groups.Keys[i].Column, key => numbers[i].TextOf(key, i), key => ranks[i][key[i]]);
        if (groups.Spans is null)
        {
            return [.. Enumerable.Range(0, groups.Keys.Count).Select(Numbered)];
        }

        // In a spanned group's key the day's column holds its bucket as a day number, the column after it its span.
        var (bucket, span) = (groups.Keys.Count, groups.Keys.Count + 1);
        var spanRanks = ValueNumbers.RanksOf([.. CounterCalendar.AllSpans]);
        return
        [
            Numbered(0),
            ("span", key => CounterCalendar.AllSpans[key[span]], key => spanRanks[key[span]]),
            ("bucket", key => DateOnly.FromDayNumber(key[bucket]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), key => key[bucket]),
            .. Enumerable.Range(1, groups.Keys.Count - 1).Select(Numbered),
        ];
    }

    /// <summary>
    /// The groups in the order of the counter's primary key (<paramref name="keys"/>, as COPY writes them), so that COPY
    /// adds each row at the right edge of the key's index: a million-deal rebuild's largest counter (1.1 million rows)
    /// took 9.5 s to copy by itself in the dictionary's order and 2.5 s in key order (in a rebuild, the counters' COPY
    /// took half the time). A group's ranks, in column order, are packed into words compared in turn.
    /// </summary>
    private static IEnumerable<(GroupKey Key, int Place)> InKeyOrder(
        Dictionary<GroupKey, int> groupPlaces, IReadOnlyList<(string Column, Func<GroupKey, string> Text, Func<GroupKey, int> Rank)> keys)
    {
        var (order, entries) = (new (ulong, ulong, ulong, ulong)[groupPlaces.Count], new (GroupKey, int)[groupPlaces.Count]);
        var words = new ulong[4];
        var at = 0;
        foreach (var (key, place) in groupPlaces)
        {
            Array.Clear(words);
            for (var c = 0; c < keys.Count; c++)
            {
                words[c / GroupKey.PerWord] |= (ulong)keys[c].Rank(key) << ((GroupKey.PerWord - 1 - (c % GroupKey.PerWord)) * GroupKey.Bits);
            }

            (order[at], entries[at]) = ((words[0], words[1], words[2], words[3]), (key, place));
            at++;
        }

        Array.Sort(order, entries);
        return entries;
    }

    /// <summary>
    /// Each day's sums in its day, month and year, keyed as a day's group is with the day's number replaced by its
    /// bucket (as a day number) and its span (its place in <see cref="CounterCalendar.AllSpans"/>) in the column after.
    /// </summary>
    private (Dictionary<GroupKey, int> Places, List<decimal> Sums) InSpans()
    {
        var (spannedPlaces, spannedSums, width) = (new Dictionary<GroupKey, int>(), new List<decimal>(), groups.Sums.Count);
        var (days, dayColumn) = (numbers[^1], numbers.Length - 1);
        foreach (var (dayKey, place) in places)
        {
            var day = (DateOnly)days.ValueOf(dayKey, dayColumn)!;
            for (var span = 0; span < CounterCalendar.AllSpans.Count; span++)
            {
                var key = dayKey.With(dayColumn, CounterCalendar.BucketIn(CounterCalendar.AllSpans[span], day).DayNumber).With(dayColumn + 1, span);
                var total = PlaceOf(spannedPlaces, spannedSums, key, width);
                for (var i = 0; i < width; i++)
                {
                    spannedSums[total + i] += sums[place + i];
                }
            }
        }

        return (spannedPlaces, spannedSums);
    }

    /// <summary>The place of the group keyed <paramref name="key"/> in <paramref name="sums"/>, added there with zero sums when new.</summary>
    private static int PlaceOf(Dictionary<GroupKey, int> places, List<decimal> sums, GroupKey key, int width)
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

        public object? ValueOf(GroupKey key, int column) => values[key[column]].Value;

        /// <summary>Each number's place among the column's values in ascending order (<see cref="RanksOf"/>).</summary>
        public int[] Ranks() => RanksOf([.. values.Select(v => v.Value)]);

        /// <summary>
        /// Each value's place among <paramref name="values"/> as PostgreSQL's ascending order has it: nulls last, text by
        /// code (collation "C"; under another collation only mostly in order, which costs COPY time, not correctness).
        /// </summary>
        public static int[] RanksOf(object?[] values)
        {
            var order = Enumerable.Range(0, values.Length).ToArray();
            Array.Sort(order, (x, y) => (values[x], values[y]) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                (string a, string b) => string.CompareOrdinal(a, b),
                var (a, b) => Comparer<object>.Default.Compare(a, b),
            });
            var ranks = new int[values.Length];
            for (var place = 0; place < order.Length; place++)
            {
                ranks[order[place]] = place;
            }

            return ranks;
        }

        public string TextOf(GroupKey key, int column) => values[key[column]].Text;

        /// <summary>A value's number, the next; past what a group key holds, <see cref="GroupKey.With"/> refuses it.</summary>
        private int Added(object? value)
        {
            var text = new StringBuilder();
            CopyText.Append(text, value);
            values.Add((value, text.ToString()));
            return values.Count - 1;
        }
    }
}

/// <summary>
/// A counter group's key: its columns' value numbers, <see cref="Bits"/> each, packed into four words, so that a group is
/// found by hashing and comparing 32 bytes held in the dictionary's own entries.
/// </summary>
internal readonly record struct GroupKey(ulong A, ulong B, ulong C, ulong D)
{
    public const int Bits = 21;
    public const int PerWord = 64 / Bits;
    private const ulong Mask = (1UL << Bits) - 1;

    /// <summary>How many columns a key holds.</summary>
    public const int Columns = 4 * PerWord;

    /// <summary>How many values a column may number (a day number, as a bucket, included).</summary>
    public const int Values = 1 << Bits;

    public static bool Fits(int columns) => columns <= Columns;

    public int this[int column] => (int)((Word(column / PerWord) >> (column % PerWord * Bits)) & Mask);

    /// <summary>This key with <paramref name="number"/> in <paramref name="column"/>.</summary>
    public GroupKey With(int column, int number)
    {
        if ((uint)number >= Values)
        {
            throw new InvalidOperationException($"{number} is past what a counter group key holds in a column.");
        }

        var shift = column % PerWord * Bits;
        var word = (Word(column / PerWord) & ~(Mask << shift)) | ((ulong)number << shift);
        return (column / PerWord) switch
        {
            0 => this with { A = word },
            1 => this with { B = word },
            2 => this with { C = word },
            _ => this with { D = word },
        };
    }

    private ulong Word(int index) => index switch { 0 => A, 1 => B, 2 => C, _ => D };
}
