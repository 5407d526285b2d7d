using Funnel.Domain.Deals;
using Funnel.Host.Deals.Batches;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wolverine;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Wolverine.Tracking;

namespace Funnel.Host.Tests.Deals;

/// <summary>Other .NET services send the same commands as Wolverine messages through the durable PostgreSQL queue.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class MessagingTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task commands_sent_through_the_queue_append_their_events()
    {
        var host = app.Services.GetRequiredService<IHost>();

        await Send(host, new CaptureDeal("M-1", "sales", "Queued", "ann", 250m, OccurredAt: T0));
        await Send(host, new ChangeStage("M-1", "propose", T0.AddHours(1)));
        await Send(host, new WinDeal("M-1", 300m, T0.AddHours(2)));

        Assert.Equal(
            [
                typeof(DealCaptured), typeof(DealStageChanged), typeof(DealWon),
            ],
            (await app.EventsOfAsync("M-1")).Select(e => e.GetType()));
        Assert.Equal(new DealWon("M-1", "propose", 300m, T0.AddHours(2)), (await app.EventsOfAsync("M-1"))[2]);
    }

    [Fact]
    public async Task a_refused_message_appends_nothing_and_is_dead_lettered()
    {
        var host = app.Services.GetRequiredService<IHost>();
        await Send(host, new CaptureDeal("M-2", "sales", "Queued", "ann", 250m, OccurredAt: T0));

        var session = await host.TrackActivity().IncludeExternalTransports().DoNotAssertOnExceptionsDetected().Timeout(TimeSpan.FromSeconds(60))
            .SendMessageAndWaitAsync(new ChangeStage("M-2", "nope"), app.MessageKey());

        Assert.Single(session.MovedToErrorQueue.MessagesOf<ChangeStage>());
        Assert.Single(await app.EventsOfAsync("M-2"));
    }

    [Fact]
    public async Task a_batch_through_the_queue_appends_what_it_accepts_and_answers_each_command_in_order()
    {
        var host = app.Services.GetRequiredService<IHost>();
        var json = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        DealCommandBatch Batch(string dealId) => DealCommandBatch.Of(json,
            new CaptureDeal(dealId, "sales", "Queued", "ann", 250m, OccurredAt: T0),
            new ChangeStage(dealId, "nope", T0.AddHours(1)),
            new ChangeStage(dealId, "propose", T0.AddHours(1)),
            new WinDeal(dealId, 300m, T0.AddHours(2)));

        // Sent to the durable queue, as another service would.
        await Send(host, Batch("MB-1"));
        Assert.Equal([typeof(DealCaptured), typeof(DealStageChanged), typeof(DealWon)], (await app.EventsOfAsync("MB-1")).Select(e => e.GetType()));

        // Request and reply: the answer a sender waiting for it gets, the HTTP batch's.
        using var scope = app.Services.CreateScope();
        var answer = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<BatchAnswer>(Batch("MB-2"), app.MessageKey());
        Assert.Equal([(201, 1L, null), (400, 0L, "unknown-stage"), (200, 2L, null), (200, 3L, null)], answer.Results.Select(r => (r.Status, r.Version ?? 0, r.Problem?.Extensions["rule"] as string)));
    }

    private Task<ITrackedSession> Send(IHost host, object command) =>
        host.TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromSeconds(60)).SendMessageAndWaitAsync(command, app.MessageKey());
}
