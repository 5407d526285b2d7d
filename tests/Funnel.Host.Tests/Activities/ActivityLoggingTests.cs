using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Host.Tests.Infrastructure;
using Marten;

namespace Funnel.Host.Tests.Activities;

/// <summary>Deal L-1 (ann, east, account Acme Corp) is captured at T0 in pipeline "log"; activities are logged against it and on no deal.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class ActivityLoggingTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 6, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync("log");
        (await app.Http.PostJsonAsync("/api/deals", new { dealId = "L-1", pipelineId = "log", name = "L-1", owner = "ann", team = "east", account = "Acme Corp", amount = 100m, occurredAt = T0 }))
            .EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Call(string activityId = "call-1", string? dealId = "L-1", int minutes = 15) =>
        new { activityId, rep = "ann", kind = "call", dealId, occurredAt = T0.AddHours(2), durationMinutes = minutes, outcome = "reached" };

    [Fact]
    public async Task an_activity_on_a_deal_joins_its_stream_and_its_version()
    {
        var answer = await (await app.Http.PostJsonAsync("/api/activities", Call())).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(("call-1", "L-1", 2L, true), (answer.GetProperty("activityId").GetString(), answer.GetProperty("dealId").GetString(),
            answer.GetProperty("dealVersion").GetInt64(), answer.GetProperty("created").GetBoolean()));
        Assert.Equal(new ActivityLogged("call-1", "ann", "call", "L-1", "log", "east", "Acme Corp", 15, "reached", null, T0.AddHours(2)), (await app.EventsOfAsync("L-1"))[1]);
        Assert.Equal(2, (await app.GetJsonAsync("/api/deals/L-1")).GetProperty("version").GetInt32());

        // The version a caller expects now counts the activity, on every write path: a single command, a batch, a handover.
        (await app.Http.PostJsonAsync("/api/deals/L-1/stage", new { stage = "develop", expectedVersion = 2, occurredAt = T0.AddHours(3) })).EnsureSuccessStatusCode();
        (await app.Http.PostAsJsonAsync("/api/commands", new object[] { new { type = "amount", dealId = "L-1", amount = 150m, occurredAt = T0.AddHours(4) } })).EnsureSuccessStatusCode();
        (await app.Http.PostJsonAsync("/api/reps/ann/handover", new { to = "bob", reason = "holiday", occurredAt = T0.AddHours(5) })).EnsureSuccessStatusCode();
        var deal = await app.GetJsonAsync("/api/deals/L-1");
        Assert.Equal((5, "develop", 150m, "bob"), (deal.GetProperty("version").GetInt32(), deal.GetProperty("stage").GetString(), deal.GetProperty("amount").GetDecimal(), deal.GetProperty("owner").GetString()));

        // The history shows it among the deal's events, at its business time.
        var history = (await app.GetJsonAsync("/api/deals/L-1/history")).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["deal_captured", "activity_logged", "deal_stage_changed", "deal_amount_changed", "deal_owner_reassigned"], history.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(T0.AddHours(2), history[1].GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task an_activity_on_no_deal_goes_to_the_reps_own_stream()
    {
        var answer = await (await app.Http.PostJsonAsync("/api/activities", new { rep = "ann", kind = "email", team = "east", occurredAt = T0 })).ReadJsonAsync(HttpStatusCode.Created);

        var id = answer.GetProperty("activityId").GetString()!;
        Assert.Equal([new ActivityLogged(id, "ann", "email", null, null, "east", null, null, null, null, T0)], await app.EventsOfAsync(LogActivity.RepStream("ann")));
        Assert.Equal(JsonValueKindNull, answer.GetProperty("dealVersion").ValueKind);
        Assert.Null(await LoadDealAsync(LogActivity.RepStream("ann")));
    }

    [Fact]
    public async Task the_same_activity_again_answers_as_before_and_another_under_its_id_is_refused()
    {
        (await app.Http.PostJsonAsync("/api/activities", Call())).EnsureSuccessStatusCode();
        var events = await app.CountEventsAsync();

        var again = await (await app.Http.PostJsonAsync("/api/activities", Call())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((false, 2L), (again.GetProperty("created").GetBoolean(), again.GetProperty("dealVersion").GetInt64()));
        await (await app.Http.PostJsonAsync("/api/activities", Call(minutes: 30))).AssertProblemAsync(HttpStatusCode.Conflict, "activityId", "activity-exists");
        await (await app.Http.PostJsonAsync("/api/activities", Call(dealId: null))).AssertProblemAsync(HttpStatusCode.Conflict, "activityId", "activity-exists");

        Assert.Equal(events, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_batch_logs_each_activity_on_its_own_in_order_and_again_answers_as_before()
    {
        var events = await app.CountEventsAsync();
        var body = $$"""
            [{"activityId":"b-1","rep":"ann","kind":"call","dealId":"L-1","occurredAt":"{{Iso(T0.AddHours(1))}}"},
             {"activityId":"b-2","rep":"ann","kind":"email","dealId":"L-1","occurredAt":"{{Iso(T0.AddHours(2))}}"},
             {"rep":"ann","kind":"fax","occurredAt":"{{Iso(T0)}}"},
             {"activityId":"b-3","rep":"bob","kind":"task","occurredAt":"{{Iso(T0)}}"},
             {"activityId":"b-1","rep":"ann","kind":"call","dealId":"L-1","occurredAt":"{{Iso(T0.AddHours(1))}}"},
             {"activityId":"b-4","rep":"ann","kind":"call","dealId":"L-9","occurredAt":"{{Iso(T0)}}"},
             "not an activity",
             {"activityId":"b-5","rep":"ann","kind":"call","occurredAt":"{{Iso(T0)}}","durationMinutes":"long"}]
            """;

        // Two on L-1 (versions 2 and 3), one on bob's own stream, b-1 again within the batch (as before), and four refused.
        (int, string?, string?, long?, string?)[] expected =
        [
            (201, "b-1", "L-1", 2, null), (201, "b-2", "L-1", 3, null), (400, null, null, null, "one-of"), (201, "b-3", null, null, null),
            (200, "b-1", "L-1", 2, null), (404, null, null, null, "unknown-deal"), (400, null, null, null, "json-object"), (400, null, null, null, "json"),
        ];
        var first = await (await app.Http.PostAsync("/api/activities/batch", HttpAssertions.JsonText(body))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, Results(first));
        Assert.Equal((4, 4), (first.GetProperty("accepted").GetInt32(), first.GetProperty("refused").GetInt32()));
        Assert.Equal(events + 3, await app.CountEventsAsync());
        Assert.Equal(["b-1", "b-2"], (await app.EventsOfAsync("L-1")).OfType<ActivityLogged>().Select(a => a.ActivityId));
        Assert.Equal(["b-3"], (await app.EventsOfAsync(LogActivity.RepStream("bob"))).OfType<ActivityLogged>().Select(a => a.ActivityId));

        // The same batch again (a retry): what was logged is answered as before, nothing is stored twice.
        var again = await (await app.Http.PostAsync("/api/activities/batch", HttpAssertions.JsonText(body))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([.. expected.Select(e => e.Item1 == 201 ? e with { Item1 = 200 } : e)], Results(again));
        Assert.Equal(events + 3, await app.CountEventsAsync());

        static (int, string?, string?, long?, string?)[] Results(System.Text.Json.JsonElement answer) => [.. answer.GetProperty("results").EnumerateArray().Select(r => (
            r.GetProperty("status").GetInt32(), Text(r, "activityId"), Text(r, "dealId"), r.TryGetProperty("dealVersion", out var v) ? v.GetInt64() : (long?)null,
            r.TryGetProperty("problem", out var p) ? p.GetProperty("rule").GetString() : null))];

        static string? Text(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task concurrent_activities_of_one_rep_queue_and_a_racing_retry_is_logged_once()
    {
        // Twelve first activities of a rep at once all start (then join) the rep's one stream.
        var first = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            app.Http.PostJsonAsync("/api/activities", new { rep = "racer", kind = "call", occurredAt = T0.AddMinutes(i) })));
        Assert.All(first, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(12, (await app.EventsOfAsync(LogActivity.RepStream("racer"))).Count);

        // Twelve sends of one activity on the deal at once: one logs it, the others answer as it did.
        var retries = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.Http.PostJsonAsync("/api/activities", Call("call-race"))));
        Assert.Equal([(HttpStatusCode.OK, 11), (HttpStatusCode.Created, 1)], retries.GroupBy(r => r.StatusCode).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
        Assert.Single((await app.EventsOfAsync("L-1")).OfType<ActivityLogged>());
    }

    [Fact]
    public async Task an_activity_counts_in_the_stage_its_deal_stood_in_then_whatever_the_order_they_arrive_in()
    {
        // L-1: a call at T0+2h is projected in validate; then a move to develop dated T0+1h arrives: the call was in develop.
        // An email dated T0+30m, logged last, was in validate. L-2 (same day): a meeting at T0+3h, then a move dated T0+2h,
        // sent back to back (one daemon batch or two).
        await LogAsync("A", "call", "L-1", T0.AddHours(2));
        await app.CatchUpAsync();
        (await app.Http.PostJsonAsync("/api/deals/L-1/stage", new { stage = "develop", occurredAt = T0.AddHours(1) })).EnsureSuccessStatusCode();
        await app.CatchUpAsync();
        await LogAsync("B", "email", "L-1", T0.AddMinutes(30));
        (await app.Http.PostJsonAsync("/api/deals", new { dealId = "L-2", pipelineId = "log", name = "L-2", owner = "ann", amount = 50m, occurredAt = T0 })).EnsureSuccessStatusCode();
        await LogAsync("C", "meeting", "L-2", T0.AddHours(3));
        (await app.Http.PostJsonAsync("/api/deals/L-2/stage", new { stage = "develop", occurredAt = T0.AddHours(2) })).EnsureSuccessStatusCode();
        await app.CatchUpAsync();

        // Validate: L-1 and L-2 entered and advanced; only the email was logged there (on L-1). Develop: both entered, the call and the meeting.
        var stages = (await app.GetJsonAsync("/api/funnel/log/effort")).GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal((2L, 2L, 1L, 1L, "email=1"), Effort(stages["validate"]));
        Assert.Equal((2L, 0L, 2L, 2L, "call=1,meeting=1"), Effort(stages["develop"]));

        static (long, long, long, long, string) Effort(System.Text.Json.JsonElement s) => (s.GetProperty("entered").GetInt64(), s.GetProperty("advanced").GetInt64(),
            s.GetProperty("activities").GetInt64(), s.GetProperty("worked").GetInt64(), string.Join(",", s.GetProperty("byKind").EnumerateObject().Select(k => $"{k.Name}={k.Value.GetInt64()}")));
    }

    private async Task LogAsync(string activityId, string kind, string dealId, DateTimeOffset at) =>
        (await app.Http.PostJsonAsync("/api/activities", new { activityId, rep = "ann", kind, dealId, occurredAt = at })).EnsureSuccessStatusCode();

    [Theory]
    [InlineData("""{"rep":"ann","kind":"call"}""", HttpStatusCode.BadRequest, "occurredAt", "required")]
    [InlineData("""{"rep":"ann","kind":"smoke signal","occurredAt":"2026-04-06T12:00:00Z"}""", HttpStatusCode.BadRequest, "kind", "one-of")]
    [InlineData("""{"kind":"call","occurredAt":"2026-04-06T12:00:00Z"}""", HttpStatusCode.BadRequest, "rep", "required")]
    [InlineData("""{"rep":"ann","kind":"call","occurredAt":"2026-04-06T12:00:00Z","durationMinutes":2000}""", HttpStatusCode.BadRequest, "durationMinutes", "range")]
    [InlineData("""{"rep":"ann","kind":"call","occurredAt":"2026-04-06T08:59:00Z","dealId":"L-1"}""", HttpStatusCode.BadRequest, "occurredAt", "before-capture")]
    [InlineData("""{"rep":"ann","kind":"call","occurredAt":"2026-04-06T12:00:00Z","dealId":"L-9"}""", HttpStatusCode.NotFound, "dealId", "unknown-deal")]
    [InlineData("""{"rep":"ann","kind":"call","occurredAt":"2999-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "occurredAt", "not-in-future")]
    [InlineData("""{"rep":"ann","kind":"call","occurredAt":"2026-04-06T12:00:00Z","durationMinutes":"long"}""", HttpStatusCode.BadRequest, "durationMinutes", "json")]
    public async Task a_refused_activity_names_the_field_and_the_rule_and_stores_nothing(string body, HttpStatusCode status, string field, string rule)
    {
        var events = await app.CountEventsAsync();

        await (await app.Http.PostAsync("/api/activities", HttpAssertions.JsonText(body))).AssertProblemAsync(status, field, rule);

        Assert.Equal(events, await app.CountEventsAsync());
        Assert.Equal(1, (await app.GetJsonAsync("/api/deals/L-1")).GetProperty("version").GetInt32());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private async Task<Deal?> LoadDealAsync(string id)
    {
        await using var session = app.Store.QuerySession();
        return await session.LoadAsync<Deal>(id);
    }
}
