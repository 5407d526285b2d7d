using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Pipelines;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Pipelines;

[Collection(FunnelAppCollection.Name)]
public sealed class PipelineTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_pipeline_is_defined_then_redefined_as_a_new_version()
    {
        var created = await (await app.PutClassicPipelineAsync("p1")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("version").GetInt64());

        var redefined = await (await app.Http.PutAsJsonAsync("/api/pipelines/p1", new
        {
            name = "Two stages",
            stages = new[] { new { id = "validate", name = "Validate", probability = 0.2m }, new { id = "close", name = "Close", probability = 0.9m } },
        })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, redefined.GetProperty("version").GetInt64());
        var read = await (await app.Http.GetAsync("/api/pipelines/p1")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Two stages", read.GetProperty("name").GetString());
        Assert.Equal(0.9m, read.GetProperty("stages")[1].GetProperty("probability").GetDecimal());
        var events = await app.EventsOfAsync("p1");
        Assert.IsType<PipelineDefined>(events[0]);
        Assert.Equal(4, ((PipelineDefined)events[0]).Stages.Count);
        Assert.IsType<PipelineRedefined>(events[1]);
    }

    [Fact]
    public async Task an_unchanged_definition_appends_nothing()
    {
        await app.PutClassicPipelineAsync("p2");
        var again = await (await app.PutClassicPipelineAsync("p2")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("version").GetInt64());
        Assert.Single(await app.EventsOfAsync("p2"));
    }

    [Theory]
    [InlineData("""{"name":"x","stages":[]}""", "stages", "required")]
    [InlineData("""{"stages":[{"id":"a","name":"A","probability":0.1}]}""", "name", "required")]
    [InlineData("""{"name":"x","stages":[{"id":"a","name":"A","probability":1.5}]}""", "stages[0].probability", "probability-range")]
    [InlineData("""{"name":"x","stages":[{"id":"a","name":"A","probability":0.1},{"id":"a","name":"B","probability":0.2}]}""", "stages", "unique-stage-ids")]
    [InlineData("""{"name":"x","stages":[{"id":"won","name":"Won","probability":1}]}""", "stages[0].id", "reserved-stage-id")]
    [InlineData("""{"name":"x","stages":[{"id":"A B","name":"A","probability":0.1}]}""", "stages[0].id", "stage-id")]
    public async Task an_invalid_definition_is_refused_and_stores_nothing(string body, string field, string rule)
    {
        var response = await app.Http.PutAsync("/api/pipelines/p3", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, rule);
        Assert.Equal(0, await app.CountEventsAsync());
    }
}
