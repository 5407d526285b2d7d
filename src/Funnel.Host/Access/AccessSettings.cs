namespace Funnel.Host.Access;

/// <summary>Funnel:Auth: whether keys are required, and the request rate a key gets when it names none.</summary>
public sealed class AccessSettings
{
    public const string Section = "Funnel:Auth";

    /// <summary>True closes even the private store on loopback; keys are required everywhere else whatever this says.</summary>
    public bool? Required { get; set; }

    public int RequestsPerSecond { get; set; } = 1000;
}
