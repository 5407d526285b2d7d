namespace Funnel.Host.Deals;

/// <summary>The first answer given under an Idempotency-Key, stored in the same transaction as the events it answered.</summary>
public sealed class IdempotentAnswer
{
    public string Id { get; set; } = "";

    public string DealId { get; set; } = "";

    public long Version { get; set; }

    public bool Created { get; set; }
}
