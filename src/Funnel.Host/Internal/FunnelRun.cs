using Funnel.Host.CommandLine;
using JasperFx;
using Marten;

namespace Funnel.Host.Internal;

public static class FunnelRun
{
    /// <summary>
    /// The service, or a command (import, verify, keys, ...). The service is run here rather than by JasperFx's run
    /// command, which answers 0 even when the start fails; a command answers with its own exit code.
    /// </summary>
    public static async Task<int> RunFunnelAsync(this WebApplication app, string[] args)
    {
        if (!FunnelCommandLine.RunsService(args))
        {
            if (UnknownProjection(app, args) is { } unknown)
            {
                await Console.Error.WriteLineAsync(unknown);
                return (int)ExitCode.Usage;
            }

            if (await RebuildCommand.RunIfAskedAsync(app, args) is { } rebuilt)
            {
                return rebuilt;
            }

            var code = await app.RunJasperFxCommands(args);
            return FunnelCommands.LastExit is { } exit ? (int)exit : code;
        }

        try
        {
            await app.RunAsync();
            return (int)ExitCode.Done;
        }
        catch (Exception e)
        {
            // The top of the process: whatever stopped the host is reported once, and the exit code says so.
            await Console.Error.WriteLineAsync($"Funnel stopped: {e.GetBaseException().Message}");
            return (int)ExitCode.Failed;
        }
    }

    /// <summary>
    /// Marten's projections command takes a projection name it does not know without a word and does nothing: the names
    /// are checked here (they include each tenant's, which only the store knows).
    /// </summary>
    private static string? UnknownProjection(WebApplication app, string[] args)
    {
        if (args[0] != "projections" || FunnelCommandLine.OptionValue(args, "--projection", "-p") is not { } name)
        {
            return null;
        }

        var known = ((DocumentStore)app.Services.GetRequiredService<IDocumentStore>()).Options.Projections.All.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        return known.Contains(name, StringComparer.Ordinal)
            ? null
            : $"Funnel: there is no projection '{name}'; the projections are {string.Join(", ", known)}.";
    }
}
