using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The deals page's count from the deal counts, and the handovers' from the handover counts, against the rows.</summary>
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

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(null, "2027-01-01", 2)]
    [InlineData("2026-04-01", null, 1)]
    [InlineData("2025-10-01", "2026-05-01", 2)]
    public async Task the_handovers_count_from_the_handover_counts_a_page_at_a_time(string? from, string? to, int page)
    {
        // The demo's leaver hands all their open deals over on one day; whole Berlin days around it.
        DateTimeOffset? Midnight(string? day) => day is null ? null : Funnel.Domain.BusinessTime.MidnightIn(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var query = new HandoversQuery(DemoHistory.PipelineId, Midnight(from), Midnight(to), page, 4) { Zone = BerlinApp.Berlin };
        Assert.True(query.Countable);
        var report = await HandoversReport.RunAsync(Db, query, CancellationToken.None);

        var where = $"pipeline_id = '{DemoHistory.PipelineId}' and handover_reason is not null" +
            (query.From is { } f ? $" and valid_from >= '{f:O}'" : "") + (query.To is { } t ? $" and valid_from < '{t:O}'" : "");
        Assert.Equal(await QueryScalarAsync($"select count(*) || ' ' || sum(amount) from funnel.deal_intervals where {where}"), $"{report.Count} {report.Amount}");
        Assert.Equal(
            await QueryStringsAsync($"select deal_id from funnel.deal_intervals where {where} order by valid_from, deal_id offset {(page - 1) * 4} limit 4"),
            report.Handovers.Select(h => h.DealId));
        Assert.True(report.Count > (page - 1) * 4 && report.Handovers.Count > 0);
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
