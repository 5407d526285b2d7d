using JasperFx.CommandLine;

namespace Funnel.Host.CommandLine;

public static class FunnelCommands
{
    /// <summary>The exit code of the Funnel command that ran in this process (JasperFx itself only knows 0 and 1).</summary>
    public static ExitCode? LastExit { get; set; }
}

/// <summary>The part of a Funnel command that can be asked before the store starts: is anything wrong with its arguments.</summary>
public interface IChecksArguments
{
    /// <summary>What is wrong with <paramref name="input"/>, in one line; null when nothing.</summary>
    string? Mistake(object input);
}

/// <summary>
/// A command of Funnel's own: its arguments are checked before the store starts (<see cref="Mistake"/>), it answers
/// with an <see cref="ExitCode"/>, and whatever goes wrong is one line, never a stack trace (FUNNEL_TRACE=1 adds it).
/// </summary>
public abstract class FunnelCommand<TInput> : JasperFxAsyncCommand<TInput>, IChecksArguments
    where TInput : NetCoreInput
{
    /// <summary>What is wrong with the arguments alone (a flag missing, a file not there); null when nothing.</summary>
    protected virtual string? Mistake(TInput input) => null;

    string? IChecksArguments.Mistake(object input) => Mistake((TInput)input);

    protected abstract Task<ExitCode> RunAsync(TInput input);

    public sealed override async Task<bool> Execute(TInput input)
    {
        var exit = await RunCheckedAsync(input);
        FunnelCommands.LastExit = exit;
        return exit == ExitCode.Done;
    }

    private async Task<ExitCode> RunCheckedAsync(TInput input)
    {
        try
        {
            if (Mistake(input) is { } mistake)
            {
                throw new CommandMistake(mistake);
            }

            return await RunAsync(input);
        }
        catch (CommandMistake e)
        {
            await Console.Error.WriteLineAsync($"Funnel: {e.Message}");
            return ExitCode.Usage;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Funnel: {e.GetBaseException().Message}");
            if (Environment.GetEnvironmentVariable("FUNNEL_TRACE") == "1")
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }

            return ExitCode.Failed;
        }
    }
}
