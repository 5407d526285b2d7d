namespace Funnel.Host.Importing;

public static class CommandPaths
{
    /// <summary>
    /// A relative path means relative to where the user typed the command. `dotnet run --project` starts the program in
    /// the project's folder, so the shell's own working directory (PWD) is the better base when it is known.
    /// </summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell ? shell : Environment.CurrentDirectory);
}
