using Funnel.Domain.Activities;

namespace Funnel.Host.Activities;

/// <summary>
/// An activity's id, claimed in the transaction that logs it: the store's unique key makes the id logged once, and a
/// retry finds what it was (activities share streams, so the stream cannot say).
/// </summary>
public sealed class LoggedActivity
{
    public string Id { get; set; } = "";

    public ActivityLogged Event { get; set; } = null!;

    /// <summary>The deal's version the activity made; null for an activity on the rep's own stream.</summary>
    public long? DealVersion { get; set; }
}
