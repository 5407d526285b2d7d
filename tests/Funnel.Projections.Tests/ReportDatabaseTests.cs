using Funnel.Projections.Reports;

namespace Funnel.Projections.Tests;

public sealed class ReportDatabaseTests
{
    [Theory]
    [InlineData("select a, case when @explain then array_agg(x) end, b", "select a, null, b")]
    [InlineData("select case when @explain then coalesce(array_agg(x order by x) filter (where y = 'end'), '{}') end from t", "select null from t")]
    [InlineData("select a from t", "select a from t")]
    public void without_deal_lists_the_explain_only_aggregates_are_left_out(string sql, string expected) =>
        Assert.Equal(expected, ReportDatabase.StripExplain(sql));
}
