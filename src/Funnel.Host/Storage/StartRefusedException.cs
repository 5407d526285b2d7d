namespace Funnel.Host.Storage;

/// <summary>The store cannot be reached or made as configured; the message says what to change, in one line.</summary>
public sealed class StartRefusedException(string message) : Exception(message);
