using Funnel.Domain.Activities;

namespace Funnel.Host.Activities;

/// <summary>What POST /api/activities stored (or, for a retry, had stored): the activity, and the deal version it made.</summary>
/// <param name="Created">False when the same activity had been logged before under this id.</param>
public sealed record ActivityAnswer(string ActivityId, string? DealId, long? DealVersion, bool Created, ActivityLogged Activity);
