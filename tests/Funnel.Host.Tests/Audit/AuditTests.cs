using System.Net;
using System.Text.Json;
using Funnel.Host.Events;
using Funnel.Host.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Audit;

[Collection(FunnelAppCollection.Name)]
public sealed class AuditTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 6, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
        await app.PutClassicPipelineAsync("other");
        await Post("/api/deals", new { dealId = "A-1", pipelineId = "sales", name = "Audited", owner = "ann", amount = 100m, occurredAt = T0 }, "crm-sync");
        await Post("/api/deals/A-1/stage", new { stage = "develop", occurredAt = T0.AddDays(1) }, "ann@example.com");
        await Post("/api/deals/A-1/win", new { amount = 90m, occurredAt = T0.AddDays(2) }, null);
        await Post("/api/deals", new { dealId = "O-1", pipelineId = "other", name = "Elsewhere", owner = "bob", amount = 5m, occurredAt = T0 }, null);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_deals_history_lists_every_event_with_who_caused_it()
    {
        var history = await app.GetJsonAsync("/api/deals/A-1/history");

        var events = history.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["deal_captured", "deal_stage_changed", "deal_won"], events.Select(e => e.GetProperty("type").GetString()));
        // The key is the actor; X-Funnel-Actor names the person it acted for.
        Assert.All(events, e => Assert.Equal(FunnelApp.KeyName, e.GetProperty("actor").GetString()));
        Assert.Equal(["crm-sync", "ann@example.com", null], events.Select(e => e.GetProperty("onBehalfOf").GetString()));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal([T0, T0.AddDays(1), T0.AddDays(2)], events.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()));
        Assert.Equal("develop", events[1].GetProperty("data").GetProperty("toStage").GetString());
        Assert.All(events, e => Assert.Equal(32, e.GetProperty("traceId").GetString()!.Length));

        await using var session = app.Store.QuerySession();
        var stored = await session.Events.FetchStreamAsync("A-1");
        Assert.Equal(stored.Select(e => e.Version), events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(stored.Select(e => e.Timestamp), events.Select(e => e.GetProperty("recordedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task the_raw_events_stream_as_ndjson_and_resume_after_a_cursor()
    {
        var all = await Lines("/api/events?pipelineId=sales");
        // The pipeline's definition and the deal's three events; the other pipeline's two are not in it.
        Assert.Equal(["pipeline_defined", "deal_captured", "deal_stage_changed", "deal_won"], all.Select(e => e.GetProperty("type").GetString()));

        var page = await Lines("/api/events?pipelineId=sales&limit=2");
        var rest = await Lines($"/api/events?pipelineId=sales&after={page[^1].GetProperty("cursor").GetString()}");
        Assert.Equal(all.Select(e => e.GetProperty("cursor").GetString()), page.Concat(rest).Select(e => e.GetProperty("cursor").GetString()));
        Assert.Equal(4, all.Select(e => e.GetProperty("cursor").GetString()).Distinct().Count());
        Assert.Equal(6, (await Lines("/api/events")).Count);
    }

    [Fact]
    public async Task the_csv_export_holds_one_row_per_event_with_its_json()
    {
        var export = app.Services.GetRequiredService<EventExport>();
        using var output = new MemoryStream();

        var (count, last) = await export.WriteCsvAsync(output, Funnel.Domain.Access.Tenants.Default, "sales", after: 0, 100, CancellationToken.None);

        var rows = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, count);
        Assert.Equal(4, rows.Length);
        await using var session = app.Store.QuerySession();
        Assert.Equal((await session.Events.FetchStreamAsync("A-1"))[^1].Sequence, last);
        Assert.StartsWith($"{(await Lines("/api/events?pipelineId=sales"))[^1].GetProperty("cursor").GetString()},\"A-1\",3,deal_won,", rows[^1]);
        Assert.Contains("\"\"amount\"\": 90", rows[^1]);
    }

    private async Task<List<JsonElement>> Lines(string url)
    {
        var response = await app.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private async Task Post(string url, object body, string? actor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        if (actor is not null)
        {
            request.Headers.Add("X-Funnel-Actor", actor);
        }

        Assert.True((await app.Http.SendAsync(request)).IsSuccessStatusCode);
    }
}
