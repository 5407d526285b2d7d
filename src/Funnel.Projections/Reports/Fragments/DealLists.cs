namespace Funnel.Projections.Reports;

/// <summary>
/// With explain=true a report lists the deals behind each number. Without it the statement leaves the lists out (null):
/// PostgreSQL would compute an aggregate even where a CASE discards it.
/// </summary>
internal static class DealLists
{
    public static string When(bool explain, string aggregate) => explain ? aggregate : "null";
}
