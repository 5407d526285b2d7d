using System.Net;
using Funnel.Domain.Deals;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

/// <summary>Each command over HTTP appends exactly the events it should, and answers with the deal's new version.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class DealCommandTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task capture_then_every_command_appends_its_event_in_order()
    {
        var created = await (await app.Http.PostJsonAsync("/api/deals", new
        {
            dealId = "D-1", pipelineId = "sales", name = "Acme renewal", owner = "ann", team = "east", region = "emea", product = "gtx",
            account = "Acme", amount = 1000m, currency = "EUR", expectedCloseDate = "2026-06-30", tags = new[] { "renewal" }, occurredAt = T0,
        })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("D-1", created.GetProperty("dealId").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt64());

        await Post("stage", new { stage = "propose", occurredAt = T0.AddDays(1) }, expectedVersion: 2);
        await Post("stage", new { stage = "develop", occurredAt = T0.AddDays(2) }, expectedVersion: 3);
        await Post("quote", new { amount = 1200m, quoteId = "Q-7", occurredAt = T0.AddDays(3) }, expectedVersion: 4);
        await Post("amount", new { amount = 1100m, occurredAt = T0.AddDays(4) }, expectedVersion: 5);
        await Post("owner", new { owner = "bob", team = "west", occurredAt = T0.AddDays(5) }, expectedVersion: 6);
        await Post("expected-close", new { expectedCloseDate = "2026-07-31", occurredAt = T0.AddDays(6) }, expectedVersion: 7);
        await Post("lose", new { reason = "price", occurredAt = T0.AddDays(7) }, expectedVersion: 8);
        await Post("reopen", new { stage = "close", occurredAt = T0.AddDays(8) }, expectedVersion: 9);
        await Post("win", new { amount = 1050m, occurredAt = T0.AddDays(9) }, expectedVersion: 10);

        var events = await app.EventsOfAsync("D-1");
        Assert.Equal(
            [
                new DealCaptured("D-1", "sales", "Acme renewal", "ann", "east", "emea", "gtx", "Acme", 1000m, "EUR", new DateOnly(2026, 6, 30), events.OfType<DealCaptured>().Single().Tags, "validate", T0),
                new DealStageChanged("D-1", "validate", "propose", false, T0.AddDays(1)),
                new DealStageChanged("D-1", "propose", "develop", true, T0.AddDays(2)),
                new QuoteSent("D-1", "Q-7", 1200m, 1000m, T0.AddDays(3)),
                new DealAmountChanged("D-1", 1100m, 1200m, T0.AddDays(4)),
                new DealOwnerReassigned("D-1", "bob", "west", "emea", "ann", T0.AddDays(5)),
                new DealExpectedCloseDateChanged("D-1", new DateOnly(2026, 7, 31), T0.AddDays(6)),
                new DealLost("D-1", "develop", "price", T0.AddDays(7)),
                new DealReopened("D-1", "close", DealStatus.Lost, T0.AddDays(8)),
                new DealWon("D-1", "close", 1050m, T0.AddDays(9)),
            ],
            events);
        Assert.Equal(["renewal"], events.OfType<DealCaptured>().Single().Tags);
    }

    [Fact]
    public async Task a_deal_without_an_id_gets_one_and_a_location()
    {
        var response = await app.Http.PostJsonAsync("/api/deals", new { pipelineId = "sales", name = "No id", owner = "ann", amount = 5m });
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        var dealId = body.GetProperty("dealId").GetString()!;
        Assert.Equal(32, dealId.Length);
        Assert.Equal($"/api/deals/{dealId}", response.Headers.Location?.OriginalString);
        Assert.IsType<DealCaptured>(Assert.Single(await app.EventsOfAsync(dealId)));
    }

    [Fact]
    public async Task an_importer_captures_straight_into_a_later_stage()
    {
        await (await app.Http.PostJsonAsync("/api/deals", new { dealId = "D-2", pipelineId = "sales", name = "Import", owner = "ann", amount = 5m, stage = "propose" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("propose", Assert.IsType<DealCaptured>(Assert.Single(await app.EventsOfAsync("D-2"))).Stage);
    }

    [Fact]
    public async Task an_unchanged_amount_appends_nothing_and_keeps_the_version()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "D-3", pipelineId = "sales", name = "Same", owner = "ann", amount = 5m });
        var body = await (await app.Http.PostJsonAsync("/api/deals/D-3/amount", new { amount = 5m })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.Single(await app.EventsOfAsync("D-3"));
    }

    private async Task Post(string command, object body, long expectedVersion)
    {
        var answer = await (await app.Http.PostJsonAsync($"/api/deals/D-1/{command}", body)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expectedVersion, answer.GetProperty("version").GetInt64());
    }
}
