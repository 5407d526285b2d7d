using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Contracts;

/// <summary>The OpenAPI document is true: typed answers, real status codes, every parameter, tags by feature.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class OpenApiContractTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly string[] Features = ["Deals", "Activities", "Reps", "Pipelines", "Targets", "Reports", "Events", "Access"];

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_operation_has_a_feature_tag_a_summary_a_typed_answer_and_problem_details_for_its_refusals()
    {
        var document = await OpenApiDocument.ReadAsync(app.Http);
        var operations = document.Operations.ToList();
        Assert.Equal(39, operations.Count);
        Assert.Equal("bearer", (string?)document.Root["components"]!["securitySchemes"]!["apiKey"]!["scheme"]);
        Assert.DoesNotContain("IResult", document.Root["components"]!["schemas"]!.AsObject().Select(s => s.Key));
        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.Contains((string)operation["tags"]![0]!, Features);
            var summary = (string?)operation["summary"];
            Assert.False(string.IsNullOrWhiteSpace(summary) || summary.Contains('_'), $"{name}: summary '{summary}'");
            var responses = operation["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{name} documents no success");
            Assert.All(success, r => Assert.NotNull(r.Value!["content"]?.AsObject().Single().Value!["schema"]));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"];
                Assert.True((string?)schema == "#/components/schemas/Problem", $"{name} {status} is not a Problem: {response.ToJsonString()}");
            }

            Assert.Contains("400", responses.Select(r => r.Key));
            Assert.Contains("503", responses.Select(r => r.Key));

            // Every operation needs a key with a scope, within the key's rate.
            Assert.Contains("401", responses.Select(r => r.Key));
            Assert.Contains("403", responses.Select(r => r.Key));
            Assert.Contains("429", responses.Select(r => r.Key));
        }

        // The statuses each kind of operation really answers.
        Assert.Equal(["201", "400", "401", "403", "409", "413", "415", "429", "503"], Statuses(document.Operation("captureDeal")));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "415", "429", "503"], Statuses(document.Operation("changeStage")));
        Assert.Equal(["200", "400", "401", "403", "404", "429", "503"], Statuses(document.Operation("conversion")));
        Assert.Equal(["200", "400", "401", "403", "429", "503"], Statuses(document.Operation("listDeals")));
        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "413", "415", "429", "503"], Statuses(document.Operation("definePipeline")));

        // A batch answers 200 with one result per command (each with its own status); only a body that is no batch is refused whole.
        Assert.Equal(["200", "400", "401", "403", "413", "415", "429", "503"], Statuses(document.Operation("runCommands")));

        // Commands take the idempotency and actor headers; reports their query parameters, typed.
        Assert.Equal(["dealId", "Idempotency-Key", "X-Funnel-Actor"], Parameters(document.Operation("changeStage")));
        var groupBy = document.Operation("forecast")["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "groupBy")!["schema"]!;
        Assert.Equal(["stage", "owner", "team", "region", "product", "closeMonth"], groupBy["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("stage", (string?)groupBy["default"]);
        var asOf = document.Operation("snapshot")["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "asOf")!["schema"]!;
        Assert.Equal("date-time", (string?)asOf["format"]);
    }

    [Theory]
    [InlineData("conversion")]
    [InlineData("dwell")]
    [InlineData("forecast")]
    [InlineData("snapshot")]
    [InlineData("velocity")]
    [InlineData("losses")]
    [InlineData("stalled")]
    [InlineData("changes")]
    public async Task each_report_documents_exactly_the_parameters_it_reads(string report)
    {
        await app.PutClassicPipelineAsync("params");
        var document = await OpenApiDocument.ReadAsync(app.Http);

        // A report echoes every parameter it read in "filters": that set and the documented one are the same.
        var answer = await app.GetJsonAsync($"/api/funnel/params/{report}");
        var read = answer.GetProperty("filters").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var documented = Parameters(document.Operation(report)).Where(p => p != "pipelineId").Order(StringComparer.Ordinal);
        Assert.Equal(documented, read);
    }

    [Fact]
    public async Task every_answer_of_the_readme_session_and_its_reads_matches_the_schema_the_document_gives_it()
    {
        var document = await OpenApiDocument.ReadAsync(app.Http);
        foreach (var example in ReadmeExamples.Session.Concat(ReadmeExamples.Reads))
        {
            using var request = new HttpRequestMessage(new HttpMethod(example.Method), example.Path);
            if (example.Body is not null)
            {
                request.Content = new StringContent(example.Body, Encoding.UTF8, example.Status == 415 ? "text/plain" : "application/json");
            }

            if (example.IdempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", example.IdempotencyKey);
            }

            using var response = await app.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var name = $"{example.Method} {example.Path}";
            Assert.True((int)response.StatusCode == example.Status, $"{name}: {(int)response.StatusCode} {body}");
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            var (_, operation) = document.Match(example.Method, example.Path);
            var schema = await document.ResponseSchemaAsync(operation, example.Status, mediaType);
            var errors = schema.Validate(body);
            Assert.True(errors.Count == 0, $"{name} answered {example.Status} off its schema: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{body}");
        }

        // The session's own numbers, worked out by hand: nine events, won at the last amount, with bob.
        var deal = await app.GetJsonAsync($"/api/deals/{ReadmeExamples.DealId}");
        Assert.Equal(9, deal.GetProperty("version").GetInt64());
        Assert.Equal("won", deal.GetProperty("status").GetString());
        Assert.Equal(11500m, deal.GetProperty("weightedAmount").GetDecimal());
        Assert.Equal("bob", deal.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task a_client_generated_from_the_document_drives_the_readme_session()
    {
        var client = await GeneratedClient.GenerateAsync(await app.Http.GetStringAsync("/openapi/v1.json"));
        var funnel = client.Client(app.Http);
        var document = await OpenApiDocument.ReadAsync(app.Http);
        object? answer = null;
        foreach (var example in ReadmeExamples.Session)
        {
            var (path, operation) = document.Match(example.Method, example.Path);
            var values = path.Split('/').Zip(example.Path.Split('/'))
                .Where(p => p.First.StartsWith('{'))
                .ToDictionary(p => p.First.Trim('{', '}'), p => (object?)p.Second);
            values["idempotency_Key"] = example.IdempotencyKey;
            answer = await client.CallAsync(funnel, (string)operation["operationId"]!, values, example.Body);
            Assert.NotNull(answer);
        }

        // The typed answers carry the numbers worked out by hand: nine events, won at the last amount, with bob.
        Assert.Equal(9L, Convert.ToInt64(GeneratedClient.Property(answer, "Version"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(11500d, Convert.ToDouble(GeneratedClient.Property(answer, "WeightedAmount"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("bob", GeneratedClient.Property(answer, "Owner"));

        // A refusal arrives as the generated exception carrying the typed problem, naming the field and the rule.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.CallAsync(funnel, "winDeal", new Dictionary<string, object?> { ["dealId"] = "crm-42" }, "{}"));
        Assert.Equal(409, GeneratedClient.Property(refused, "StatusCode"));
        var problem = GeneratedClient.Property(refused, "Result");
        Assert.Equal(("status", "deal-closed"), (GeneratedClient.Property(problem, "Field"), GeneratedClient.Property(problem, "Rule")));
    }

    private static string[] Statuses(JsonObject operation) => [.. operation["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal)];

    private static string[] Parameters(JsonObject operation) => [.. operation["parameters"]!.AsArray().Select(p => (string)p!["name"]!)];
}
