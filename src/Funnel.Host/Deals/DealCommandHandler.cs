using Funnel.Domain.Deals;
using Wolverine;

namespace Funnel.Host.Deals;

/// <summary>
/// The deal commands as Wolverine messages (queue <c>funnel-commands</c>). A refusal is thrown, so the message is retried
/// (a lost race) or dead-lettered (a broken rule); Wolverine's transaction marks the message handled with the events.
/// </summary>
public static class DealCommandHandler
{
    public static Task<DealCommandResult> Handle(CaptureDeal command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.CaptureMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(ChangeStage command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(SendQuote command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(ChangeAmount command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(ChangeExpectedClose command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(ReassignOwner command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(WinDeal command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(LoseDeal command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);

    public static Task<DealCommandResult> Handle(ReopenDeal command, DealCommandRunner runner, Envelope envelope, CancellationToken ct) => runner.ExecuteMessageAsync(command, envelope, ct);
}
