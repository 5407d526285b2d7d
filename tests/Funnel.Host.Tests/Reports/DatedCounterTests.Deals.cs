using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The deals page's count from the deal counts against a count of the current rows.</summary>
public sealed partial class DatedCounterTests
{
    [Theory]
    [InlineData(null, "", 1)]
    [InlineData("open", "", 1)]
    [InlineData("open", "", 7)]
    [InlineData("won", "owner=Ada Park,Kai Lund", 2)]
    [InlineData("lost", "team=Enterprise;region=West", 1)]
    [InlineData(null, "product=Team", 3)]
    public async Task the_deals_page_counts_from_the_deal_counts(string? status, string filters, int page)
    {
        var filter = Filter(filters);
        var list = await DealList.RunAsync(Db, new DealListQuery(DemoHistory.PipelineId, null, status, filter, page, 5), CancellationToken.None);

        // The same deals counted and paged from the rows, each condition written out here.
        var conditions = new List<string> { $"pipeline_id = '{DemoHistory.PipelineId}'" };
        conditions.AddRange(status is null ? [] : [$"status = '{status}'"]);
        foreach (var (column, values) in new[] { ("owner", filter.Owner), ("team", filter.Team), ("region", filter.Region), ("product", filter.Product) }.Where(f => f.Item2.Count > 0))
        {
            conditions.Add($"{column} in ({string.Join(", ", values.Select(v => $"'{v}'"))})");
        }

        var where = string.Join(" and ", conditions);
        var ids = await QueryStringsAsync($"select deal_id from funnel.deal_current where {where} order by deal_id collate \"C\" offset {(page - 1) * 5} limit 5");
        Assert.Equal(long.Parse(await QueryScalarAsync($"select count(*)::text from funnel.deal_current where {where}"), System.Globalization.CultureInfo.InvariantCulture), list.Total);
        Assert.Equal(ids, list.Items.Select(i => i.DealId));
        Assert.True(list.Total > (page - 1) * 5, "the page is past the end");
    }

    private async Task<string> QueryScalarAsync(string sql) => (await QueryStringsAsync(sql)).Single();

    private async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
