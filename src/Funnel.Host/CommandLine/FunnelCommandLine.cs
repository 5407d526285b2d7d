using JasperFx.CommandLine;

namespace Funnel.Host.CommandLine;

/// <summary>
/// What the command line asks for, answered before the store starts when it needs no store: help, an unknown command,
/// arguments a command cannot take. A mistake costs a moment, not a PostgreSQL start.
/// </summary>
public static class FunnelCommandLine
{
    public const string Invocation = "dotnet run --project src/Funnel.Host --";

    private static readonly string[] HelpWords = ["help", "--help", "-h", "-?", "?"];

    /// <summary>The framework's commands (Marten's, Wolverine's) that Funnel's documentation uses; the others still run, unlisted.</summary>
    private static readonly string[] ListedFrameworkCommands = ["projections", "db-apply", "db-assert", "db-patch", "codegen"];

    /// <summary>How long a projection's rebuild may take, unless --shard-timeout says: a store of millions of events outlasts the framework's five minutes.</summary>
    public const string RebuildTimeout = "02:00:00";

    /// <summary>The arguments with Funnel's defaults added: a rebuild's time per projection (<see cref="RebuildTimeout"/>).</summary>
    public static string[] WithDefaults(string[] args) =>
        args.Length > 1 && string.Equals(args[0], "projections", StringComparison.OrdinalIgnoreCase) && args.Contains("rebuild", StringComparer.OrdinalIgnoreCase)
            && !args.Contains("--shard-timeout", StringComparer.OrdinalIgnoreCase)
            ? [.. args, "--shard-timeout", RebuildTimeout]
            : args;

    /// <summary>The value after the flag <paramref name="name"/> (or its <paramref name="alias"/>); null when it is not given.</summary>
    public static string? OptionValue(string[] args, string name, string? alias = null)
    {
        var flag = Array.FindIndex(args, a => a == name || a == alias);
        return flag >= 0 && flag + 1 < args.Length ? args[flag + 1] : null;
    }

    /// <summary>Whether these arguments run the service (none, or only its own flags such as --urls) rather than a command.</summary>
    public static bool RunsService(IReadOnlyList<string> args) => args.Count == 0 || (args[0].StartsWith('-') && !HelpWords.Contains(args[0]));

    /// <summary>Whether this process runs a command (not the service).</summary>
    public static bool ThisProcessRunsACommand => !RunsService(Environment.GetCommandLineArgs()[1..]);

    /// <summary>
    /// Whether this process runs a command that works on the store's data, and so must find the service's store rather
    /// than make an empty one. Writing the generated code reads only the configuration, but needs a store to start.
    /// </summary>
    public static bool ThisProcessRunsADataCommand =>
        ThisProcessRunsACommand && !string.Equals(Environment.GetCommandLineArgs()[1], "codegen", StringComparison.OrdinalIgnoreCase);

    /// <summary>The exit code when the arguments were answered here; null when the service or the command should start.</summary>
    public static async Task<int?> AnswerBeforeStartAsync(string[] args)
    {
        if (RunsService(args))
        {
            return null;
        }

        var commands = new CommandFactory();
        commands.RegisterCommands(typeof(FunnelCommandLine).Assembly);
        commands.RegisterCommandsFromExtensionAssemblies();
        var name = args[0].ToLowerInvariant();
        if (HelpWords.Contains(name))
        {
            return args.Length > 1 ? await HelpOnAsync(commands, args[1]) : Help(commands);
        }

        if (!Knows(commands, name))
        {
            return await NoSuchCommandAsync(args[0]);
        }

        // Parsing failed: JasperFx has said why and answers with the command's usage.
        var run = commands.BuildRun(args);
        if (run.Command.GetType().Name == "HelpCommand")
        {
            await run.Execute();
            return (int)ExitCode.Usage;
        }

        if (run.Command is IChecksArguments checks && checks.Mistake(run.Input) is { } mistake)
        {
            await Console.Error.WriteLineAsync($"Funnel: {mistake}");
            await Console.Error.WriteLineAsync($"'{Invocation} help {name}' shows its arguments.");
            return (int)ExitCode.Usage;
        }

        return null;
    }

    private static async Task<int> HelpOnAsync(CommandFactory commands, string name)
    {
        if (!Knows(commands, name.ToLowerInvariant()))
        {
            return await NoSuchCommandAsync(name);
        }

        await commands.HelpRun(name).Execute();
        return (int)ExitCode.Done;
    }

    private static bool Knows(CommandFactory commands, string name) => commands.AllCommandTypes().Any(t => CommandFactory.CommandNameFor(t) == name);

    private static async Task<int> NoSuchCommandAsync(string asked)
    {
        await Console.Error.WriteLineAsync($"Funnel: there is no command '{asked}'; '{Invocation} help' lists them.");
        return (int)ExitCode.Usage;
    }

    private static int Help(CommandFactory commands)
    {
        var types = commands.AllCommandTypes().ToList();
        var own = types.Where(t => t.Assembly == typeof(FunnelCommandLine).Assembly).OrderBy(CommandFactory.CommandNameFor).ToList();
        var framework = ListedFrameworkCommands.Select(n => types.FirstOrDefault(t => CommandFactory.CommandNameFor(t) == n)).OfType<Type>().ToList();
        Console.WriteLine("Funnel: an event-sourced sales-funnel engine.");
        Console.WriteLine();
        Console.WriteLine("  dotnet run --project src/Funnel.Host                      runs the service (http://localhost:5080)");
        Console.WriteLine($"  {Invocation} COMMAND [ARGS]   runs a command on the same store");
        Console.WriteLine();
        Console.WriteLine("Funnel's commands:");
        Print(own);
        Console.WriteLine();
        Console.WriteLine("The store's commands (from Marten and Wolverine):");
        Print(framework);
        Console.WriteLine();
        Console.WriteLine($"'{Invocation} help COMMAND' shows a command's arguments and flags.");
        Console.WriteLine("Exit codes: 0 done, 1 failed, 2 wrong arguments (nothing done), 3 done but some rows refused.");
        Console.WriteLine("The store: ConnectionStrings__Funnel when set; else the private PostgreSQL in Funnel__DataDirectory (the service's, when both are given the same).");
        return (int)ExitCode.Done;
    }

    private static void Print(IEnumerable<Type> commands)
    {
        foreach (var type in commands)
        {
            Console.WriteLine($"  {CommandFactory.CommandNameFor(type),-12} {CommandFactory.DescriptionFor(type)}");
        }
    }
}
