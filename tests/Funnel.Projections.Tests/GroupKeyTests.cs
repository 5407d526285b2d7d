using Funnel.Projections.Timeline;

namespace Funnel.Projections.Tests;

/// <summary>A counter group's packed key holds each column's number apart from the others', and refuses what it cannot hold.</summary>
public sealed class GroupKeyTests
{
    [Fact]
    public void each_column_reads_back_the_number_written_into_it_whatever_its_neighbours_hold()
    {
        // The largest number a column holds beside zeros and small numbers, in every column, across the words' edges.
        var numbers = Enumerable.Range(0, GroupKey.Columns).Select(c => c % 3 == 0 ? GroupKey.Values - 1 : c).ToArray();
        var key = default(GroupKey);
        for (var c = 0; c < numbers.Length; c++)
        {
            key = key.With(c, numbers[c]);
        }

        Assert.Equal(numbers, Enumerable.Range(0, GroupKey.Columns).Select(c => key[c]));
        var changed = key.With(4, 7);
        Assert.Equal(7, changed[4]);
        Assert.Equal(numbers.Where((_, c) => c != 4), Enumerable.Range(0, GroupKey.Columns).Where(c => c != 4).Select(c => changed[c]));
        Assert.NotEqual(key, changed);
        Assert.Equal(key, changed.With(4, numbers[4]));
    }

    [Fact]
    public void a_number_past_what_a_column_holds_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => default(GroupKey).With(0, GroupKey.Values));
        Assert.Throws<InvalidOperationException>(() => default(GroupKey).With(0, -1));
        Assert.False(GroupKey.Fits(GroupKey.Columns + 1));
    }
}
