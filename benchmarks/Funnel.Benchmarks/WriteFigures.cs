using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Funnel.Domain.Access;
using Funnel.Host.Access;

namespace Funnel.Benchmarks;

/// <summary>
/// The write side against PostgreSQL's own limits, on one store: single commands over HTTP (capture, stage change) against
/// one-row insert transactions, batches and the import against COPY, the live projection's lag while commands arrive, and
/// a rebuild of what was written.
/// </summary>
public static partial class WriteFigures
{
    private static readonly string[] Owners = ["Ada Park", "Ben Okafor", "Cleo Ruiz", "Dev Shah", "Eli Stone", "Fay Lind", "Gus Moreau", "Hana Ito"];

    /// <summary>Deals the stage changes go round (a deal's next change comes a whole round later, so none race).</summary>
    private const int StagePool = 2000;

    /// <summary>Batches of 1,000 captures the message figure sends: 20,000 events, well past the queue's start-up.</summary>
    private const int MessageBatches = 20;

    public static async Task<List<Figure>> RunAsync(BenchOptions options, string connectionString, PostgresCeiling ceiling)
    {
        var figures = new List<Figure>();
        var key = (await ApiKeyStore.CreateInAsync(connectionString, new CreateApiKey($"bench-{Guid.NewGuid():N}"[..20], null, Scopes.All, CreateApiKey.MaxRequestsPerSecond))).Key;
        await using (var service = await ServiceUnderTest.StartAsync(connectionString))
        {
            using var http = new HttpClient { BaseAddress = service.Address };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            (await http.PutAsJsonAsync("/api/pipelines/sales", new
            {
                name = "Sales",
                stages = new[] { ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m), ("close", 0.8m) }.Select(s => new { id = s.Item1, name = s.Item1, probability = s.Item2 }),
            })).EnsureSuccessStatusCode();

            if (options.Runs("commands"))
            {
                var capture = await HttpLoad.RunAsync(service.Address, key, options.Connections, options.Duration, i => Post("/api/deals",
                    new { dealId = $"cap-{i}", pipelineId = "sales", name = "Bench", owner = Owners[i % Owners.Length], amount = 1000 + (i % 5000) }));
                figures.Add(Single("POST /api/deals (a new stream each)", capture, ceiling));
                figures.Add(await LagAfterAsync(http, "capture"));

                for (var batch = 0; batch < StagePool / 1000; batch++)
                {
                    var captures = Enumerable.Range(batch * 1000, 1000).Select(n => new { type = "capture", dealId = $"stg-{n}", pipelineId = "sales", name = "Bench", owner = Owners[n % Owners.Length], amount = 5000 });
                    (await http.PostAsJsonAsync("/api/commands", captures)).EnsureSuccessStatusCode();
                }

                var stage = await HttpLoad.RunAsync(service.Address, key, options.Connections, options.Duration, i => Post($"/api/deals/stg-{i % StagePool}/stage",
                    new { stage = i / StagePool % 2 == 0 ? "develop" : "validate" }));
                figures.Add(Single("POST /api/deals/{id}/stage (existing streams)", stage, ceiling));
                figures.Add(await LagAfterAsync(http, "stage change"));
            }

            if (options.Runs("batch"))
            {
                const int size = 1000;
                var batches = await HttpLoad.RunAsync(service.Address, key, 4, options.Duration, i => Post("/api/commands",
                    Enumerable.Range(0, size).Select(n => new { type = "capture", dealId = $"bat-{i}-{n}", pipelineId = "sales", name = "Bench", owner = Owners[n % Owners.Length], amount = 1000 + n })));
                figures.Add(new Figure($"POST /api/commands ({size:N0} captures a batch, 4 connections)", batches.PerSecond * size, "events/s", ceiling.CopyRowsPerSecond, "≥ 0.5 × COPY",
                    $"p50 {batches.P50Ms:F0} ms/batch; client CPU {batches.ClientCpuShare:P0}{Failures(batches)}"));
            }

            if (options.Runs("messages"))
            {
                figures.Add(await MessageFigures.RunAsync(connectionString, key, MessageBatches, ceiling));
                figures.Add(await LagAfterAsync(http, "message"));
            }
        }

        if (options.Runs("import"))
        {
            figures.Add(await ImportAsync(options, connectionString, ceiling));
        }

        if (options.Runs("rebuild"))
        {
            figures.Add(await RebuildAsync(connectionString));
        }

        return figures;
    }

    private static Figure Single(string name, LoadResult load, PostgresCeiling ceiling) =>
        new(name, load.PerSecond, "commands/s", ceiling.InsertTransactionsPerSecond, "≥ 0.6 × inserts, p99 < 50 ms",
            $"p50 {load.P50Ms:F1} ms, p99 {load.P99Ms:F1} ms; {load.Requests:N0} requests; client CPU {load.ClientCpuShare:P0}{Failures(load)}");

    private static string Failures(LoadResult load) => load.Failures == 0 ? "" : $"; {load.Failures:N0} FAILED, first: {load.FirstFailure}";

    /// <summary>How far the live projection lags right after a load, and how long it takes to catch up.</summary>
    private static async Task<Figure> LagAfterAsync(HttpClient http, string what)
    {
        var first = await FreshnessAsync(http);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await FreshnessAsync(http)).LagEvents > 0 && watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(100);
        }

        return new Figure($"projection lag at the end of the {what} load", first.LagSeconds, "s of business activity", null, "< 5 s",
            $"{first.LagEvents:N0} events behind; caught up {watch.Elapsed.TotalSeconds:F1} s later");
    }

    private static async Task<(long LagEvents, double LagSeconds)> FreshnessAsync(HttpClient http)
    {
        var freshness = (await http.GetFromJsonAsync<JsonElement>("/api/funnel/sales/losses")).GetProperty("freshness");
        return (freshness.GetProperty("lagEvents").GetInt64(), freshness.GetProperty("lagSeconds").GetDouble());
    }

    /// <summary>A generated stage history (five rows a deal: capture, two moves, a new amount, the win) through the import command.</summary>
    private static async Task<Figure> ImportAsync(BenchOptions options, string connectionString, PostgresCeiling ceiling)
    {
        var file = Path.Combine(Path.GetTempPath(), $"funnel-bench-import-{Guid.NewGuid():N}.csv");
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync("deal_id,occurred_at,stage,amount,owner,team,region,product,account,outcome,reason");
            for (var d = 0; d < options.ImportRows / 5; d++)
            {
                var at = start.AddMinutes(d);
                string Row(int day, string stage, string amount, string outcome) => string.Create(CultureInfo.InvariantCulture, $"imp-{d},{at.AddDays(day):O},{stage},{amount},{Owners[d % Owners.Length]},east,emea,gtx,Acme {d % 500},{outcome},");
                await writer.WriteLineAsync(Row(0, "validate", "1000", ""));
                await writer.WriteLineAsync(Row(1, "develop", "", ""));
                await writer.WriteLineAsync(Row(2, "propose", "", ""));
                await writer.WriteLineAsync(Row(3, "", "1200", ""));
                await writer.WriteLineAsync(Row(4, "", "", "won"));
            }
        }

        var printed = await ServiceUnderTest.RunAsync(connectionString, "import", "stage-history", file, "--pipeline", "sales");
        File.Delete(file);
        var summary = ImportSummary().Match(printed);
        var (rows, seconds) = (double.Parse(summary.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture), double.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture));
        return new Figure($"import stage-history ({rows:N0} rows)", rows / seconds, "rows/s", ceiling.CopyRowsPerSecond, "≥ 0.5 × COPY", $"{seconds:F1} s by its own clock");
    }

    /// <summary>
    /// Marten's rebuild of the default tenant's timeline over everything in the store, with no service running, against
    /// the least work PostgreSQL needs for it (<see cref="RebuildLimit"/>) measured right after on the rows it wrote.
    /// </summary>
    public static async Task<Figure> RebuildAsync(string connectionString)
    {
        var printed = await ServiceUnderTest.RunAsync(connectionString, "projections", "rebuild", "--projection", "FunnelTimeline");
        var ms = double.Parse(Rebuilt().Match(printed).Groups[1].Value, CultureInfo.InvariantCulture);
        var limit = await RebuildLimit.MeasureAsync(connectionString);
        return new Figure($"projections rebuild ({limit.Events:N0} events)", limit.Events / (ms / 1000), "events/s", limit.EventsPerSecond, "≥ 30,000 events/s, or ≥ 0.8 × the limit",
            $"{ms / 1000:F1} s; the limit: reading the events {limit.ReadSeconds:F1} s and COPY of the {limit.Rows:N0} rows it wrote {limit.WriteSeconds:F1} s " +
            $"(every index kept {limit.IndexedSeconds:F1} s; report indexes built after the rows {limit.LaterSeconds:F1} s)");
    }

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    [GeneratedRegex(@"rows read ([\d,]+).*?, ([\d.]+) s")]
    private static partial Regex ImportSummary();

    [GeneratedRegex(@"Finished rebuilding FunnelTimeline in (\d+) ms")]
    private static partial Regex Rebuilt();
}
