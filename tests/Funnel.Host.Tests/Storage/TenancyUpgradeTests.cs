using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using Funnel.Host.Storage;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace Funnel.Host.Tests.Storage;

/// <summary>A store written before tenants (single-tenant event tables) becomes the default tenant's, its events kept.</summary>
public sealed class TenancyUpgradeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task a_store_from_before_tenants_keeps_its_events_as_the_default_tenants()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        using (var before = DocumentStore.For(options =>
        {
            // The store as Funnel configured it before tenants: the same tables, single-tenanted.
            options.Connection(connectionString);
            options.DatabaseSchemaName = StoreTables.Schema;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            options.Events.StreamIdentity = StreamIdentity.AsString;
        }))
        {
            await before.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await using var session = before.LightweightSession();
            session.Events.StartStream<Pipeline>("sales", new PipelineDefined("sales", "Sales", [new StageDefinition("validate", "Validate", 0.1m)], T0));
            session.Events.StartStream<Deal>("old-1", new DealCaptured("old-1", "sales", "Kept", "ann", null, null, null, null, 500m, "USD", null, [], "validate", T0));
            await session.SaveChangesAsync();
        }

        Assert.True(await TenancyUpgrade.ApplyIfNeededAsync(connectionString));
        Assert.False(await TenancyUpgrade.ApplyIfNeededAsync(connectionString));

        using var after = DocumentStore.For(options =>
        {
            StorageConfiguration.ConfigureEventStore(options, connectionString);
            options.DatabaseSchemaName = StoreTables.Schema;
        });
        await after.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using (var session = after.LightweightSession())
        {
            var kept = Assert.IsType<DealCaptured>(Assert.Single(await session.Events.FetchStreamAsync("old-1")).Data);
            Assert.Equal(500m, kept.Amount);

            // The old stream takes a new event in the default tenant, and another tenant may now use the same id.
            session.Events.Append("old-1", new DealAmountChanged("old-1", 600m, 500m, T0.AddDays(1)));
            await session.SaveChangesAsync();
        }

        await using (var acme = after.LightweightSession("acme"))
        {
            acme.Events.StartStream<Deal>("old-1", new DealCaptured("old-1", "sales", "Acme's", "bob", null, null, null, null, 9m, "USD", null, [], "validate", T0));
            await acme.SaveChangesAsync();
        }

        await using var check = after.QuerySession();
        Assert.Equal(2, (await check.Events.FetchStreamAsync("old-1")).Count);
    }
}
