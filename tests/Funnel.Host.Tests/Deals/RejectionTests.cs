using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

/// <summary>Every refusal answers problem details naming the field and the rule, and stores nothing.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class RejectionTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "open-1", pipelineId = "sales", name = "Open", owner = "ann", amount = 100m, occurredAt = T0 });
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "won-1", pipelineId = "sales", name = "Won", owner = "ann", amount = 100m, occurredAt = T0 });
        await app.Http.PostJsonAsync("/api/deals/won-1/win", new { occurredAt = T0.AddDays(1) });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, HttpStatusCode, string, string> Captures() => new()
    {
        { "unknown pipeline", """{"dealId":"n1","pipelineId":"nope","name":"x","owner":"ann","amount":1}""", HttpStatusCode.BadRequest, "pipelineId", "unknown-pipeline" },
        { "unknown stage", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"ann","amount":1,"stage":"nope"}""", HttpStatusCode.BadRequest, "stage", "unknown-stage" },
        { "negative amount", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"ann","amount":-1}""", HttpStatusCode.BadRequest, "amount", "non-negative" },
        { "missing amount", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"ann"}""", HttpStatusCode.BadRequest, "amount", "required" },
        { "empty owner", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"  ","amount":1}""", HttpStatusCode.BadRequest, "owner", "required" },
        { "bad currency", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"ann","amount":1,"currency":"euro"}""", HttpStatusCode.BadRequest, "currency", "iso-4217" },
        { "bad deal id", """{"dealId":"a b","pipelineId":"sales","name":"x","owner":"ann","amount":1}""", HttpStatusCode.BadRequest, "dealId", "identifier" },
        { "future occurredAt", """{"dealId":"n1","pipelineId":"sales","name":"x","owner":"ann","amount":1,"occurredAt":"2999-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "occurredAt", "not-in-future" },
        { "duplicate deal id", """{"dealId":"open-1","pipelineId":"sales","name":"x","owner":"ann","amount":1}""", HttpStatusCode.Conflict, "dealId", "duplicate-deal" },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task a_refused_capture_stores_nothing(string because, string body, HttpStatusCode status, string field, string rule)
    {
        var before = await app.CountEventsAsync();
        var response = await app.Http.PostAsync("/api/deals", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(status, field, rule);
        Assert.True(before == await app.CountEventsAsync(), because);
    }

    public static TheoryData<string, string, string, HttpStatusCode, string, string> Commands() => new()
    {
        { "open-1", "stage", """{"stage":"nope"}""", HttpStatusCode.BadRequest, "stage", "unknown-stage" },
        { "open-1", "stage", """{"stage":"develop","occurredAt":"2026-03-01T00:00:00Z"}""", HttpStatusCode.Conflict, "occurredAt", "occurred-at-order" },
        { "open-1", "stage", """{"stage":"develop","expectedVersion":7}""", HttpStatusCode.Conflict, "expectedVersion", "version-conflict" },
        { "open-1", "quote", """{"amount":-5}""", HttpStatusCode.BadRequest, "amount", "non-negative" },
        { "open-1", "amount", """{"amount":-0.01}""", HttpStatusCode.BadRequest, "amount", "non-negative" },
        { "open-1", "owner", """{"owner":""}""", HttpStatusCode.BadRequest, "owner", "required" },
        { "open-1", "expected-close", """{}""", HttpStatusCode.BadRequest, "expectedCloseDate", "required" },
        { "open-1", "lose", """{"reason":" "}""", HttpStatusCode.BadRequest, "reason", "required" },
        { "open-1", "reopen", """{"stage":"develop"}""", HttpStatusCode.Conflict, "status", "deal-open" },
        { "won-1", "stage", """{"stage":"develop"}""", HttpStatusCode.Conflict, "status", "deal-closed" },
        { "won-1", "win", """{}""", HttpStatusCode.Conflict, "status", "deal-closed" },
        { "won-1", "lose", """{"reason":"late"}""", HttpStatusCode.Conflict, "status", "deal-closed" },
        { "won-1", "amount", """{"amount":5}""", HttpStatusCode.Conflict, "status", "deal-closed" },
        { "won-1", "owner", """{"owner":"bob"}""", HttpStatusCode.Conflict, "status", "deal-closed" },
        { "won-1", "reopen", """{"stage":"nope"}""", HttpStatusCode.BadRequest, "stage", "unknown-stage" },
        { "ghost", "stage", """{"stage":"develop"}""", HttpStatusCode.NotFound, "dealId", "unknown-deal" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task a_refused_command_stores_nothing(string dealId, string command, string body, HttpStatusCode status, string field, string rule)
    {
        var before = await app.CountEventsAsync();
        var response = await app.Http.PostAsync($"/api/deals/{dealId}/{command}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(status, field, rule);
        Assert.Equal(before, await app.CountEventsAsync());
    }

    [Theory]
    [InlineData("""{"dealId":"n2","pipelineId":"sales","name":"x","owner":"ann","amount":"a lot"}""", "amount")]
    [InlineData("""{"dealId":"n2","pipelineId":"sales","name":"x","owner":"ann","amount":1,"occurredAt":"yesterday"}""", "occurredAt")]
    [InlineData("""{"dealId":"n2","pipelineId":"sales","name":"x","owner":"ann","amount":1,"tags":"one"}""", "tags")]
    [InlineData("""{"dealId":"n2",""", "body")]
    public async Task a_wrongly_typed_field_is_a_400_naming_it(string body, string field)
    {
        var response = await app.Http.PostAsync("/api/deals", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, "json");
        Assert.Null(await app.Store.QuerySession().Events.FetchStreamStateAsync("n2"));
    }

    [Fact]
    public async Task unknown_json_fields_are_ignored()
    {
        var body = """{"dealId":"n3","pipelineId":"sales","name":"x","owner":"ann","amount":1,"colour":"blue"}""";
        var response = await app.Http.PostAsync("/api/deals", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task an_unknown_deal_or_pipeline_is_a_404()
    {
        await (await app.Http.GetAsync("/api/deals/ghost")).AssertProblemAsync(HttpStatusCode.NotFound, "dealId", "unknown-deal");
        await (await app.Http.GetAsync("/api/pipelines/ghost")).AssertProblemAsync(HttpStatusCode.NotFound, "pipelineId", "unknown-pipeline");
    }
}
