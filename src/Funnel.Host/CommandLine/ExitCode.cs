namespace Funnel.Host.CommandLine;

/// <summary>What a command's exit code says (docs/cli.md lists them).</summary>
public enum ExitCode
{
    Done = 0,

    /// <summary>It could not do what was asked (the store unreachable, verify found differences, an unexpected error).</summary>
    Failed = 1,

    /// <summary>The arguments are wrong (a missing flag, a file that is not there, an unknown name): nothing was done.</summary>
    Usage = 2,

    /// <summary>Done, but some rows were refused (an import): they are listed in a file.</summary>
    DoneWithRefusals = 3,
}
