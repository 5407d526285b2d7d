using System.Net;
using System.Text;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Faults;

/// <summary>A host of its own: hostile requests may create deals and pipelines, which no other scenario should see.</summary>
public sealed class HostileApp : FunnelApp;

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileApp>
{
    public const string Name = "hostile";
}

[Collection(HostileCollection.Name)]
public sealed class HostileInputTests(HostileApp app)
{
    private static readonly string[] Leaks = ["   at ", "Exception", "Npgsql", "select ", "SELECT ", "Funnel.Domain", "System.", "stack"];

    [Fact]
    public async Task ten_thousand_hostile_requests_get_no_5xx_leak_nothing_and_leave_the_service_current()
    {
        await app.PutClassicPipelineAsync("fz");
        (await app.Http.PostJsonAsync("/api/deals", new { dealId = "FZ-1", pipelineId = "fz", name = "Target", owner = "ann", amount = 10m })).EnsureSuccessStatusCode();

        var fuzz = new HostileRequests(seed: 20261123);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 10_000; i++)
        {
            using var request = fuzz.Next();
            var described = $"{request.Method} {request.RequestUri}";
            using var response = await app.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{described}: {status} {body}");
            Assert.DoesNotContain(Leaks, leak => body.Contains(leak, StringComparison.Ordinal) && !described.Contains(leak, StringComparison.Ordinal));
        }

        // Most hostile requests are refused; some are valid enough to land. Both kinds must have been sent.
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 5_000, string.Join(", ", statuses));
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) > 100, string.Join(", ", statuses));

        var health = await app.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // The projection still applies new events: a capture after the storm shows in the read models.
        (await app.Http.PostJsonAsync("/api/deals", new { dealId = "FZ-AFTER", pipelineId = "fz", name = "After", owner = "zed", amount = 7m })).EnsureSuccessStatusCode();
        await app.CatchUpAsync();
        var zed = await app.GetJsonAsync("/api/funnel/fz/forecast?owner=zed");
        Assert.Equal(7m, zed.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(0, zed.GetProperty("freshness").GetProperty("lagEvents").GetInt64());
    }

    [Theory]
    [InlineData("null", "body", "json-object", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", "body", "json-object", HttpStatusCode.BadRequest)]
    [InlineData("{\"dealId\":", "body", "json", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\":\"a\\u0000b\"}", "body", "control-characters", HttpStatusCode.BadRequest)]
    [InlineData("{\"amount\":\"lots\"}", "amount", "json", HttpStatusCode.BadRequest)]
    [InlineData("{\"amount\":79228162514264337593543950335,\"dealId\":\"H-1\",\"pipelineId\":\"fz\",\"name\":\"n\",\"owner\":\"o\"}", "amount", "max-amount", HttpStatusCode.BadRequest)]
    public async Task a_body_that_cannot_be_a_command_is_refused_naming_the_rule(string body, string field, string rule, HttpStatusCode status)
    {
        await app.PutClassicPipelineAsync("fz");
        var response = await app.Http.PostAsync("/api/deals", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(status, field, rule);
        var text = await (await app.Http.PostAsync("/api/deals", new StringContent(body, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Funnel.Domain", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task limits_answer_413_415_and_400_for_size_content_type_and_depth()
    {
        var huge = "{\"name\":\"" + new string('x', 1024 * 1024) + "\"}";
        await (await app.Http.PostAsync("/api/deals", new StringContent(huge, Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body", "max-body-size");
        await (await app.Http.PostAsync("/api/deals", new StringContent("{}", Encoding.UTF8, "text/plain"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type", "json-content-type");
        var deep = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";
        await (await app.Http.PostAsync("/api/deals", new StringContent(deep, Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest, "body", "json-depth");
        var invalidUtf8 = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        invalidUtf8.Headers.ContentType = new("application/json");
        await (await app.Http.PostAsync("/api/deals", invalidUtf8)).AssertProblemAsync(HttpStatusCode.BadRequest, "body", "json");
        await (await app.Http.GetAsync("/api/deals/%01")).AssertProblemAsync(HttpStatusCode.NotFound, "dealId", "unknown-deal");
    }

    [Theory]
    [InlineData(201, "max-length")]
    [InlineData(0, "control-characters")]
    public async Task an_actor_header_no_event_should_carry_is_refused_and_nothing_is_stored(int length, string rule)
    {
        await app.PutClassicPipelineAsync("actor");
        var before = await app.CountEventsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deals")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { dealId = $"ACT-{rule}", pipelineId = "actor", name = "Actor", owner = "ann", amount = 10m }),
        };
        request.Headers.TryAddWithoutValidation("X-Funnel-Actor", length > 0 ? new string('a', length) : "ann\tsmith");

        await (await app.Http.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "X-Funnel-Actor", rule);
        Assert.Equal(before, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_clients_mistyped_body_is_refused_naming_the_field_and_logged_as_no_error()
    {
        await app.PutClassicPipelineAsync("typed");
        var before = app.Logs.Entries.Count;

        var response = await app.Http.PostAsync("/api/deals", HttpAssertions.JsonText("""{"dealId":"T-1","pipelineId":"typed","name":"T","owner":"ann","amount":"lots"}"""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "amount", "json");
        Assert.DoesNotContain(app.Logs.Entries.Skip(before), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
