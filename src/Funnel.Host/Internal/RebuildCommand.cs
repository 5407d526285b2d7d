using System.Diagnostics;
using System.Runtime.InteropServices;
using Funnel.Host.CommandLine;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using JasperFx;
using Marten;

namespace Funnel.Host.Internal;

/// <summary>
/// `projections rebuild [--projection NAME] [--tenant T] [--shard-timeout hh:mm:ss]`: Funnel's own rebuild of its
/// timeline projections (<see cref="TimelineRebuild"/>, which folds one batch while the last one commits) instead of
/// Marten's, which folds and writes in turn, and first empties the tables with <c>delete from</c> (timing out at 30 s on
/// a million-deal store). Every asynchronous projection of the store is a timeline, so this is the whole command.
/// </summary>
internal static class RebuildCommand
{
    /// <summary>The command's exit code when the arguments ask for a rebuild; null when they ask for something else.</summary>
    public static async Task<int?> RunIfAskedAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || args[0] != "projections" || !args.Contains("rebuild", StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var (name, tenant, timeout) = (
            FunnelCommandLine.OptionValue(args, "--projection", "-p"), FunnelCommandLine.OptionValue(args, "--tenant", "-t"),
            FunnelCommandLine.OptionValue(args, "--shard-timeout") ?? FunnelCommandLine.RebuildTimeout);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var projections = ((DocumentStore)store).Options.Projections.All.OfType<TimelineProjection>()
            .Where(p => (name is null || p.Name == name) && (tenant is null || p.Name == TenantStorage.ProjectionName(tenant)))
            .ToList();
        if (!TimeSpan.TryParse(timeout, System.Globalization.CultureInfo.InvariantCulture, out var allowed) || allowed <= TimeSpan.Zero)
        {
            await Console.Error.WriteLineAsync($"Funnel: --shard-timeout '{timeout}' is not a time span (hh:mm:ss).");
            return (int)ExitCode.Usage;
        }

        if (projections.Count == 0)
        {
            await Console.Error.WriteLineAsync($"Funnel: no projection to rebuild for tenant '{tenant}'; 'tenants list' shows the tenants.");
            return (int)ExitCode.Usage;
        }

        // Ctrl+C stops the rebuild where it is and the command ends as on a failure, its private server stopped on the way
        // out: the runtime's own answer to the signal ended the process at once and left that server running.
        using var interrupted = new CancellationTokenSource();
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            interrupted.Cancel();
        });
        foreach (var projection in projections)
        {
            Console.WriteLine($"Rebuilding {projection.Name} ...");
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(interrupted.Token);
            limit.CancelAfter(allowed);
            var clock = Stopwatch.StartNew();
            long events;
            try
            {
                events = await new TimelineRebuild(store, projection).RunAsync(new EveryFewSeconds(), limit.Token);
            }
            catch (Exception e)
            {
                var why = interrupted.IsCancellationRequested ? "interrupted" : e.GetBaseException().Message;
                await Console.Error.WriteLineAsync($"Funnel: the rebuild of {projection.Name} stopped: {why} (the service's next start folds every event again)");
                return (int)ExitCode.Failed;
            }

            Console.WriteLine($"Finished rebuilding {projection.Name} in {clock.ElapsedMilliseconds} ms ({events:N0} events)");
        }

        return (int)ExitCode.Done;
    }

    /// <summary>Prints how far a rebuild is, at most every ten seconds (a million-deal store takes many minutes).</summary>
    private sealed class EveryFewSeconds : IProgress<RebuildProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan last;

        public void Report(RebuildProgress value)
        {
            if (clock.Elapsed - last >= TimeSpan.FromSeconds(10))
            {
                last = clock.Elapsed;
                Console.WriteLine($"  {value.Folded:N0} events folded of the store's {value.Head:N0}, {clock.Elapsed.TotalSeconds:N0} s");
            }
        }
    }
}
