namespace Funnel.Host.CommandLine;

/// <summary>A mistake in what the user asked, found while running: said in one line, exit code 2, no stack trace.</summary>
public sealed class CommandMistake(string message) : Exception(message);
