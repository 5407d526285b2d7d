namespace Funnel.Host.Access;

/// <summary>Funnel:Auth: whether keys are required, the request rate a key gets when it names none, and how many refusals an address may cause.</summary>
public sealed class AccessSettings
{
    public const string Section = "Funnel:Auth";

    /// <summary>True closes even the private store on loopback; keys are required everywhere else whatever this says.</summary>
    public bool? Required { get; set; }

    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Refused calls (no key, a malformed or unknown key, a failed sign-in) a client address may make per second, after <see cref="RefusalBurst"/>.</summary>
    public int RefusalsPerSecond { get; set; } = 10;

    public int RefusalBurst { get; set; } = 50;

    /// <summary>A kind of refusal (status, rule, key, route) is logged once in this many seconds, with how often it recurred.</summary>
    public double RefusalLogSeconds { get; set; } = 10;
}
