namespace Funnel.Host.Reps;

/// <summary>The body of POST /api/reps/{rep}/handover.</summary>
/// <param name="To">The rep who takes the deals over.</param>
/// <param name="Team">The team the deals move to (else each keeps its own).</param>
/// <param name="Region">The region the deals move to (else each keeps its own).</param>
/// <param name="DealIds">The deals to hand over; left out, every open deal of the rep.</param>
/// <param name="Reason">Why (kept on each deal's owner change).</param>
/// <param name="OccurredAt">When it happened in business time; now by default.</param>
public sealed record HandoverRequest(string? To, string? Team, string? Region, IReadOnlyList<string>? DealIds, string? Reason, DateTimeOffset? OccurredAt);

/// <summary>One deal handed over, and the version its owner change made.</summary>
public sealed record HandedOverDeal(string DealId, long Version);

/// <summary>What a handover did: every deal it moved (none when the rep had no open deal), to whom, and why.</summary>
public sealed record HandoverAnswer(string To, string Reason, IReadOnlyList<HandedOverDeal> Deals);
