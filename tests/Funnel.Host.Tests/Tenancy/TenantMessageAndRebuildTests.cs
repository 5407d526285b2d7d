using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Domain.Deals;
using Funnel.Host.Access;
using Funnel.Host.Tenancy;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Verifying;
using Funnel.Projections;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Wolverine;
using Wolverine.Tracking;

namespace Funnel.Host.Tests.Tenancy;

/// <summary>Messages act in their key's tenant only; each tenant's read models verify and rebuild on their own; a tenant made later waits for a restart.</summary>
[Collection(TenantsCollection.Name)]
public sealed class TenantMessageAndRebuildTests(TenantsApp app)
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task a_message_acts_in_its_keys_tenant_and_a_key_cannot_send_into_another()
    {
        using var acme = app.AcmeClient();
        await FunnelApp.PutPipelineAsync(app.Http, "msg", ("validate", 0.1m), ("develop", 0.3m));
        await FunnelApp.PutPipelineAsync(acme, "msg", ("validate", 0.1m), ("develop", 0.3m));
        await TenantsApp.PostOkAsync(app.Http, "/api/deals", new { dealId = "msg-1", pipelineId = "msg", name = "x", owner = "x", amount = 10m, occurredAt = T0 });
        await TenantsApp.PostOkAsync(acme, "/api/deals", new { dealId = "msg-1", pipelineId = "msg", name = "x", owner = "x", amount = 20m, occurredAt = T0 });
        var events = await app.CountEventsAsync();
        var acmeKey = app.TenantKeys[TenantsApp.Acme].Key;

        // acme's key, addressed to the default tenant (no tenant on the envelope, or the default's named): refused, nothing stored.
        foreach (var options in new[] { app.MessageKey(acmeKey), In(app.MessageKey(acmeKey), TenantStorage.MartenDefault) })
        {
            var refused = await Track().DoNotAssertOnExceptionsDetected().SendMessageAndWaitAsync(new ChangeStage("msg-1", "develop", T0.AddHours(1)), options);
            var error = Assert.IsType<AccessRefusedException>(Assert.Single(refused.MovedToErrorQueue.RecordsInOrder()).Exception);
            Assert.Equal("other-tenant", error.Rule);
        }

        // The default's key addressed to acme: refused too.
        var intoAcme = await Track().DoNotAssertOnExceptionsDetected().SendMessageAndWaitAsync(new ChangeStage("msg-1", "develop", T0.AddHours(1)), In(app.MessageKey(), TenantsApp.Acme));
        Assert.Equal("other-tenant", Assert.IsType<AccessRefusedException>(Assert.Single(intoAcme.MovedToErrorQueue.RecordsInOrder()).Exception).Rule);
        Assert.Equal(events, await app.CountEventsAsync());

        // acme's key in acme: acme's deal moves, the default's stays where it was.
        await Track().SendMessageAndWaitAsync(new ChangeStage("msg-1", "develop", T0.AddHours(2)), In(app.MessageKey(acmeKey), TenantsApp.Acme));
        Assert.Equal("develop", (await FunnelApp.GetJsonAsync(acme, "/api/deals/msg-1")).GetProperty("stage").GetString());
        Assert.Equal("validate", (await FunnelApp.GetJsonAsync(app.Http, "/api/deals/msg-1")).GetProperty("stage").GetString());
        Assert.Equal(events + 1, await app.CountEventsAsync());
    }

    [Fact]
    public async Task each_tenants_read_models_verify_against_its_own_events_and_rebuild_alone()
    {
        using var acme = app.AcmeClient();
        await FunnelApp.PutPipelineAsync(acme, "rebuild", ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m));
        await FunnelApp.PutPipelineAsync(app.Http, "rebuild", ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m));
        for (var i = 1; i <= 6; i++)
        {
            await TenantsApp.PostOkAsync(acme, "/api/deals", new { dealId = $"rb-{i}", pipelineId = "rebuild", name = "x", owner = $"rep-{i % 2}", amount = 100m * i, occurredAt = T0 });
            await TenantsApp.PostOkAsync(acme, $"/api/deals/rb-{i}/stage", new { stage = i % 3 == 0 ? "propose" : "develop", occurredAt = T0.AddDays(i) });
            await TenantsApp.PostOkAsync(app.Http, "/api/deals", new { dealId = $"rb-{i}", pipelineId = "rebuild", name = "x", owner = "solo", amount = 1m, occurredAt = T0 });
        }

        await TenantsApp.PostOkAsync(acme, "/api/deals/rb-1/lose", new { reason = "price", occurredAt = T0.AddDays(9) });
        await app.CatchUpAsync();

        foreach (var tenant in new[] { TenantsApp.Acme, Tenants.Default })
        {
            var result = await new ReadModelVerifier(app.ConnectionString, tenant).VerifyAsync(new Progress<string>(), CancellationToken.None);
            Assert.True(result.Identical, string.Join("; ", result.Tables.Where(t => !t.Identical).Select(t => $"{tenant} {t.Table}: {string.Join(" | ", t.Examples)}")));
        }

        // acme's forecast by hand: open rb-2 (200 x 0.3), rb-3 (300 x 0.5), rb-4 (400 x 0.3), rb-5 (500 x 0.3), rb-6 (600 x 0.5); rb-1 lost.
        var reports = new[] { "/api/funnel/rebuild/forecast?asOf=2026-05-01", "/api/funnel/rebuild/dwell?asOf=2026-05-01", "/api/funnel/rebuild/conversion" };
        var acmeBefore = await AnswersAsync(acme, reports);
        var forecast = await FunnelApp.GetJsonAsync(acme, reports[0]);
        Assert.Equal((5L, 2000m, 60m + 150m + 120m + 150m + 300m), (forecast.GetProperty("count").GetInt64(), forecast.GetProperty("totalAmount").GetDecimal(), forecast.GetProperty("weightedAmount").GetDecimal()));
        var defaultBefore = await AnswersAsync(app.Http, reports);

        // Damage acme's read models and the default's, then rebuild acme's alone: acme's answers come back, the default's stay damaged.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new NpgsqlCommand(
                $"update {TenantStorage.ReadModelSchema(TenantsApp.Acme)}.deal_intervals set amount = amount + 1; update funnel.deal_intervals set amount = amount + 1 where pipeline_id = 'rebuild'; " +
                $"update {TenantStorage.ReadModelSchema(TenantsApp.Acme)}.interval_counts set amount = amount + 1; update funnel.interval_counts set amount = amount + 1 where pipeline_id = 'rebuild'", connection);
            await damage.ExecuteNonQueryAsync();
        }

        Assert.NotEqual(acmeBefore, await AnswersAsync(acme, reports));
        var daemon = app.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(TenantStorage.ProjectionName(TenantsApp.Acme), TimeSpan.FromMinutes(1), CancellationToken.None);
        await daemon.StartAgentAsync(TenantStorage.ShardName(TenantsApp.Acme), CancellationToken.None);
        await app.CatchUpAsync();

        Assert.Equal(acmeBefore, await AnswersAsync(acme, reports));
        Assert.NotEqual(defaultBefore, await AnswersAsync(app.Http, reports));

        // Put the default's back for the other tests of this host: its own rebuild.
        await daemon.RebuildProjectionAsync(TenantStorage.ProjectionName(Tenants.Default), TimeSpan.FromMinutes(1), CancellationToken.None);
        await daemon.StartAgentAsync(TenantStorage.ShardName(Tenants.Default), CancellationToken.None);
        await app.CatchUpAsync();
        Assert.Equal(defaultBefore, await AnswersAsync(app.Http, reports));
    }

    [Fact]
    public async Task a_tenant_created_after_the_service_started_is_refused_until_it_starts_again()
    {
        var (created, rejection) = await app.Services.GetRequiredService<TenantRegistry>().CreateAsync("latecomer", CancellationToken.None);
        Assert.Null(rejection);
        Assert.Equal("latecomer", created);
        var (key, _) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(new CreateApiKey("latecomer-app", "latecomer", Scopes.All), CancellationToken.None);
        var events = await app.CountEventsAsync();

        using var client = app.CreateClient(key!.Key);
        await (await client.GetAsync("/api/pipelines/sales")).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "tenant-not-served");
        await (await client.PutAsJsonAsync("/api/pipelines/late", new { name = "late", stages = new[] { new { id = "a", name = "a", probability = 0.5m } } }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "tenant-not-served");
        Assert.Equal(events, await app.CountEventsAsync());

        Assert.Equal(("tenant", "tenant-exists"), await RuleOfAsync("latecomer"));
        Assert.Equal(("tenant", "tenant-exists"), await RuleOfAsync(Tenants.Default));
        Assert.Equal(("tenant", "tenant-id"), await RuleOfAsync("Not-Valid"));
    }

    private async Task<(string?, string?)> RuleOfAsync(string id)
    {
        var (_, rejection) = await app.Services.GetRequiredService<TenantRegistry>().CreateAsync(id, CancellationToken.None);
        return (rejection?.Field, rejection?.Rule);
    }

    private static async Task<List<string>> AnswersAsync(HttpClient client, string[] urls)
    {
        var answers = new List<string>();
        foreach (var url in urls)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse((await FunnelApp.GetJsonAsync(client, url)).GetRawText())!.AsObject();
            json.Remove("freshness");
            answers.Add(json.ToJsonString());
        }

        return answers;
    }

    /// <summary>A message addressed to a tenant (Wolverine's envelope tenant id).</summary>
    private static DeliveryOptions In(DeliveryOptions options, string tenantId)
    {
        options.TenantId = tenantId;
        return options;
    }

    private TrackedSessionConfiguration Track() =>
        app.Services.GetRequiredService<IHost>().TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromSeconds(60));
}
