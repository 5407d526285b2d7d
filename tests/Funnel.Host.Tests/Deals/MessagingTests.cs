using Funnel.Domain.Deals;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    private Task<ITrackedSession> Send(IHost host, object command) =>
        host.TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromSeconds(60)).SendMessageAndWaitAsync(command, app.MessageKey());
}
