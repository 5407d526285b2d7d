using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Domain.Deals;
using Funnel.Host.Access;
using Funnel.Host.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Tracking;

namespace Funnel.Host.Tests.Access;

/// <summary>A message is held to the rules of an HTTP call: its key (header funnel-api-key) must be known, live and hold commands:write.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class MessageAccessTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
        (await app.Http.PostAsJsonAsync("/api/deals", new { dealId = "MA-1", pipelineId = "sales", name = "Kept", owner = "ann", amount = 100m, occurredAt = T0 })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_message_without_a_key_with_a_revoked_key_or_without_the_scope_is_dead_lettered_and_appends_nothing()
    {
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var revoked = (await keys.CreateAsync(new CreateApiKey("gone", null, [Scopes.CommandsWrite]), CancellationToken.None)).Created!;
        await keys.RevokeAsync("gone", Tenants.Default, CancellationToken.None);
        var reader = (await keys.CreateAsync(new CreateApiKey("reader", null, [Scopes.ReportsRead]), CancellationToken.None)).Created!;
        var events = await app.CountEventsAsync();

        foreach (var options in new[] { new DeliveryOptions(), app.MessageKey("fk_made_up"), app.MessageKey(revoked.Key), app.MessageKey(reader.Key) })
        {
            var session = await Track().DoNotAssertOnExceptionsDetected().SendMessageAndWaitAsync(new ChangeStage("MA-1", "develop", T0.AddHours(1)), options);
            Assert.IsType<AccessRefusedException>(Assert.Single(session.MovedToErrorQueue.RecordsInOrder()).Exception);
        }

        Assert.Equal(events, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_message_with_a_key_records_the_key_as_actor_and_the_person_it_names()
    {
        await Track().SendMessageAndWaitAsync(new ChangeStage("MA-1", "develop", T0.AddHours(1)), app.MessageKey().WithHeader(MessageAccess.ActorHeader, "ann@example.com"));

        await using var session = app.Store.QuerySession();
        var moved = (await session.Events.FetchStreamAsync("MA-1")).Last();
        Assert.IsType<DealStageChanged>(moved.Data);
        Assert.Equal(FunnelApp.KeyName, moved.Headers!["actor"]?.ToString());
        Assert.Equal("ann@example.com", moved.Headers!["onBehalfOf"]?.ToString());
    }

    private TrackedSessionConfiguration Track() =>
        app.Services.GetRequiredService<IHost>().TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromSeconds(60));
}
