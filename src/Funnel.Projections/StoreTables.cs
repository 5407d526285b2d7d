namespace Funnel.Projections;

/// <summary>The schema Funnel's store lives in, and Marten's own tables that Funnel reads by name.</summary>
public static class StoreTables
{
    /// <summary>The schema of the event store, its documents and the live read models.</summary>
    public const string Schema = "funnel";

    public const string Events = Schema + ".mt_events";

    /// <summary>One row per stream (deal, pipeline): what a writer locks to queue on a deal.</summary>
    public const string Streams = Schema + ".mt_streams";

    /// <summary>Where the daemon records how far each projection shard has gone.</summary>
    public const string EventProgression = Schema + ".mt_event_progression";

    /// <summary>Marten's function that sets a shard's progress (its row made when missing).</summary>
    public const string MarkProgression = Schema + ".mt_mark_event_progression";

    /// <summary>A tenant's first event in the store's sequence (0 with none), the tenant given by <paramref name="tenant"/>, a parameter.</summary>
    public static string FirstEventOf(string tenant) => $"(select coalesce(min(seq_id), 0) from {Events} where tenant_id = {tenant})";

    /// <summary>The deal documents (Marten's inline snapshot of each deal), which name its pipeline.</summary>
    public const string DealDocuments = Schema + ".mt_doc_deal";
}
