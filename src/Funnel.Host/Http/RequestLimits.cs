namespace Funnel.Host.Http;

/// <summary>What one request may carry (Funnel:Limits); past these it is refused before any handler reads it.</summary>
public sealed class RequestLimits
{
    public const string Section = "Funnel:Limits";

    /// <summary>A request body's size: 413 above it.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How deeply a JSON body may nest: no command needs more than a few levels.</summary>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>One query-string value's length.</summary>
    public int MaxQueryValueLength { get; set; } = 1000;
}
