using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Crm;

[CollectionDefinition(Name)]
public sealed class CrmCollection : ICollectionFixture<FunnelApp>, ICollectionFixture<CrmSampleLoad>
{
    public const string Name = "crm sample";
}

/// <summary>Posts the 8,800 opportunities through the HTTP API once for the collection.</summary>
public sealed class CrmSampleLoad : IAsyncLifetime
{
    /// <summary>Prospecting deals carry no dates; they are captured on the last day the data set knows.</summary>
    public static readonly DateTimeOffset ProspectingCapturedAt = new(2017, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private FunnelApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    public async Task EnsureLoadedAsync(FunnelApp host)
    {
        if (app is not null)
        {
            return;
        }

        app = host;
        var teams = CrmSample.Teams();
        var prices = CrmSample.ListPrices();
        await host.PutPipelineAsync("crm", ("prospecting", 0.1m), ("engaging", 0.4m));
        await Parallel.ForEachAsync(CrmSample.Opportunities(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (o, ct) =>
        {
            var (manager, office) = teams[o.Agent];
            var engaged = o.EngageDate is { } engage;
            await Expect(host.Http.PostJsonAsync("/api/deals", new
            {
                dealId = o.Id, pipelineId = "crm", name = o.Id, owner = o.Agent, team = manager, region = office, product = o.Product, account = o.Account,
                amount = prices[CrmSample.Key(o.Product)], stage = engaged ? "engaging" : "prospecting",
                occurredAt = engaged ? CrmSample.Midnight(o.EngageDate!.Value) : ProspectingCapturedAt,
            }), HttpStatusCode.Created);
            if (o.Stage == "Won")
            {
                await Expect(host.Http.PostJsonAsync($"/api/deals/{o.Id}/win", new { amount = o.CloseValue, occurredAt = CrmSample.Midnight(o.CloseDate!.Value) }), HttpStatusCode.OK);
            }
            else if (o.Stage == "Lost")
            {
                await Expect(host.Http.PostJsonAsync($"/api/deals/{o.Id}/lose", new { reason = "lost", occurredAt = CrmSample.Midnight(o.CloseDate!.Value) }), HttpStatusCode.OK);
            }
        });
        await host.CatchUpAsync();
    }

    private static async Task Expect(Task<HttpResponseMessage> request, HttpStatusCode status)
    {
        var response = await request;
        Assert.True(response.StatusCode == status, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Every expectation is computed here, independently, from the CSV rows; the reports must agree.</summary>
[Collection(CrmCollection.Name)]
public sealed class CrmSampleReportTests(FunnelApp app, CrmSampleLoad load) : IAsyncLifetime
{
    private readonly IReadOnlyList<Opportunity> rows = CrmSample.Opportunities();

    public Task InitializeAsync() => load.EnsureLoadedAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task engagings_win_rate_is_won_over_engaged()
    {
        var engaged = rows.Count(r => r.EngageDate is not null);
        var won = rows.Count(r => r.Stage == "Won");
        var lost = rows.Count(r => r.Stage == "Lost");

        var engaging = (await app.GetJsonAsync("/api/funnel/crm/conversion")).GetProperty("stages")[1];

        Assert.Equal("engaging", engaging.GetProperty("stage").GetString());
        Assert.Equal((engaged, won, lost, engaged - won - lost), (engaging.GetProperty("entered").GetInt32(), engaging.GetProperty("won").GetInt32(), engaging.GetProperty("lost").GetInt32(), engaging.GetProperty("open").GetInt32()));
        Assert.Equal(Math.Round((decimal)won / engaged, 6), engaging.GetProperty("winRate").GetDecimal());
    }

    [Fact]
    public async Task the_mean_and_median_days_from_engage_to_close_match_the_csv()
    {
        var days = rows.Where(r => r.CloseDate is not null).Select(r => (decimal)(r.CloseDate!.Value.DayNumber - r.EngageDate!.Value.DayNumber)).Order().ToList();
        var mean = Math.Round(days.Average(), 6);
        var median = days.Count % 2 == 1 ? days[days.Count / 2] : (days[(days.Count / 2) - 1] + days[days.Count / 2]) / 2;

        var engaging = (await app.GetJsonAsync("/api/funnel/crm/dwell")).GetProperty("stages")[1];

        Assert.Equal(days.Count, engaging.GetProperty("completed").GetInt32());
        Assert.Equal(mean, engaging.GetProperty("meanDays").GetDecimal());
        Assert.Equal(median, engaging.GetProperty("p50Days").GetDecimal());
        Assert.Equal(days[^1], engaging.GetProperty("maxDays").GetDecimal());
    }

    [Theory]
    [InlineData("2017-03-31")]
    [InlineData("2017-06-30")]
    [InlineData("2017-10-01")]
    public async Task the_deals_engaging_on_a_date_and_those_closed_by_then_match_the_csv(string date)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var prices = CrmSample.ListPrices();
        var engaging = rows.Where(r => r.EngageDate <= day && (r.CloseDate is null || r.CloseDate > day)).ToList();
        var won = rows.Where(r => r.Stage == "Won" && r.CloseDate <= day).ToList();
        var lost = rows.Where(r => r.Stage == "Lost" && r.CloseDate <= day).ToList();

        var snapshot = await app.GetJsonAsync($"/api/funnel/crm/snapshot?asOf={date}");

        var stage = snapshot.GetProperty("stages")[1];
        Assert.Equal(engaging.Count, stage.GetProperty("count").GetInt32());
        Assert.Equal(engaging.Sum(r => prices[CrmSample.Key(r.Product)]), stage.GetProperty("amount").GetDecimal());
        Assert.Equal(engaging.Sum(r => prices[CrmSample.Key(r.Product)]) * 0.4m, stage.GetProperty("weightedAmount").GetDecimal());
        Assert.Equal((won.Count, won.Sum(r => r.CloseValue!.Value)), (snapshot.GetProperty("won").GetProperty("count").GetInt32(), snapshot.GetProperty("won").GetProperty("amount").GetDecimal()));
        Assert.Equal(lost.Count, snapshot.GetProperty("lost").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task the_win_rate_of_one_regional_office_matches_the_csv()
    {
        var teams = CrmSample.Teams();
        var central = rows.Where(r => teams[r.Agent].Office == "Central" && r.EngageDate is not null).ToList();

        var engaging = (await app.GetJsonAsync("/api/funnel/crm/conversion?region=Central")).GetProperty("stages")[1];

        Assert.Equal(central.Count, engaging.GetProperty("entered").GetInt32());
        Assert.Equal(Math.Round((decimal)central.Count(r => r.Stage == "Won") / central.Count, 6), engaging.GetProperty("winRate").GetDecimal());
    }
}
