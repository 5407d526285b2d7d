using System.Net;
using System.Text.Json;
using Funnel.Domain.Deals;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Reps;

/// <summary>
/// Ann leaves: her open deals H-1 (100) and H-2 (200) go to Cid; H-3 (hers, lost) and H-4 (Bob's) stay as they are.
/// The pipeline is this class's own: the read models are not wiped between the collection's classes.
/// </summary>
[Collection(FunnelAppCollection.Name)]
public sealed class HandoverTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync("ho");
        await CaptureAsync("H-1", "ann", 100m);
        await CaptureAsync("H-2", "ann", 200m);
        await CaptureAsync("H-3", "ann", 300m);
        await CaptureAsync("H-4", "bob", 400m);
        (await app.Http.PostJsonAsync("/api/deals/H-3/lose", new { reason = "price", occurredAt = T0.AddHours(1) })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_open_deal_of_the_rep_passes_in_one_command_marked_with_its_reason()
    {
        var answer = await (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "cid", team = "west", reason = "left the company", occurredAt = T0.AddDays(1) }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([("H-1", 2L), ("H-2", 2L)], answer.GetProperty("deals").EnumerateArray().Select(d => (d.GetProperty("dealId").GetString(), d.GetProperty("version").GetInt64())));
        Assert.Equal(new DealOwnerReassigned("H-1", "cid", "west", null, "ann", T0.AddDays(1), "left the company"), (await app.EventsOfAsync("H-1"))[1]);
        Assert.Equal(new DealOwnerReassigned("H-2", "cid", "west", null, "ann", T0.AddDays(1), "left the company"), (await app.EventsOfAsync("H-2"))[1]);

        // The lost deal and Bob's keep their history as it was.
        Assert.Equal(2, (await app.EventsOfAsync("H-3")).Count);
        Assert.Single(await app.EventsOfAsync("H-4"));
        Assert.Equal("cid", (await app.GetJsonAsync("/api/deals/H-1")).GetProperty("owner").GetString());

        // Listed in the report, each with whom it came from: two deals, 100 + 200.
        await app.CatchUpAsync();
        var report = await app.GetJsonAsync("/api/funnel/ho/handovers");
        Assert.Equal(2, report.GetProperty("count").GetInt64());
        Assert.Equal(300m, report.GetProperty("amount").GetDecimal());
        Assert.Equal(
            [("H-1", "ann", "cid", "left the company", 100m), ("H-2", "ann", "cid", "left the company", 200m)],
            report.GetProperty("handovers").EnumerateArray().Select(h => (h.GetProperty("dealId").GetString(), h.GetProperty("from").GetString(),
                h.GetProperty("to").GetString(), h.GetProperty("reason").GetString(), h.GetProperty("amount").GetDecimal())));
        Assert.Equal(0, (await app.GetJsonAsync($"/api/funnel/ho/handovers?from={Uri.EscapeDataString(T0.AddDays(2).ToString("O"))}")).GetProperty("count").GetInt64());

        // An ordinary reassignment is not a handover.
        (await app.Http.PostJsonAsync("/api/deals/H-4/owner", new { owner = "dee" })).EnsureSuccessStatusCode();
        await app.CatchUpAsync();
        Assert.Equal(2, (await app.GetJsonAsync("/api/funnel/ho/handovers")).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task one_deal_that_cannot_pass_refuses_the_whole_handover()
    {
        var events = await app.CountEventsAsync();

        // H-4 is Bob's: the listed H-1 is not moved either.
        await (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "cid", reason = "territory", dealIds = new[] { "H-1", "H-4" } }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "dealIds", "not-the-reps-deal");
        await (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "cid", reason = "territory", dealIds = new[] { "H-1", "nope" } }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "dealIds", "unknown-deal");
        // H-3 is lost: a closed deal is not handed over.
        await (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "cid", reason = "territory", dealIds = new[] { "H-1", "H-3" } }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "status", "deal-closed");
        // Dated before the deals were captured.
        await (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "cid", reason = "territory", occurredAt = T0.AddDays(-1) }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "occurredAt", "occurred-at-order");

        Assert.Equal(events, await app.CountEventsAsync());
        Assert.Equal("ann", (await app.GetJsonAsync("/api/deals/H-1")).GetProperty("owner").GetString());
    }

    [Theory]
    [InlineData("""{"reason":"left"}""", "to", "required")]
    [InlineData("""{"to":"cid"}""", "reason", "required")]
    [InlineData("""{"to":"ann","reason":"left"}""", "to", "same-rep")]
    [InlineData("""{"to":"cid","reason":"left","dealIds":[]}""", "dealIds", "required")]
    [InlineData("""{"to":"cid","reason":"left","dealIds":["H-1","H-1"]}""", "dealIds", "duplicate")]
    public async Task a_malformed_handover_names_the_field_and_the_rule(string body, string field, string rule)
    {
        var events = await app.CountEventsAsync();
        await (await app.Http.PostAsync("/api/reps/ann/handover", HttpAssertions.JsonText(body))).AssertProblemAsync(HttpStatusCode.BadRequest, field, rule);
        Assert.Equal(events, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_rep_without_open_deals_hands_over_nothing()
    {
        var answer = await (await app.Http.PostJsonAsync("/api/reps/zoe/handover", new { to = "cid", reason = "left" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(answer.GetProperty("deals").EnumerateArray());
    }

    private async Task CaptureAsync(string dealId, string owner, decimal amount) =>
        (await app.Http.PostJsonAsync("/api/deals", new { dealId, pipelineId = "ho", name = dealId, owner, amount, occurredAt = T0 })).EnsureSuccessStatusCode();
}
