namespace Funnel.Host.Deals.Batches;

/// <summary>The answer to a batch kept under its Idempotency-Key, in the transaction of its events.</summary>
public sealed class BatchReply
{
    public string Id { get; set; } = "";

    public BatchAnswer Answer { get; set; } = new([], 0, 0);
}
