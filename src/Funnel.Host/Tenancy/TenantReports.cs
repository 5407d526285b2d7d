using System.Collections.Concurrent;
using Funnel.Host.Storage;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tenancy;

/// <summary>Each served tenant's report connections (one pool each, its search_path the tenant's read models), made on first use.</summary>
public sealed class TenantReports(StorageMode storage)
{
    private readonly ConcurrentDictionary<string, Lazy<ReportDatabase>> databases = new(StringComparer.Ordinal);

    public ReportDatabase For(string tenant) =>
        databases.GetOrAdd(tenant, t => new Lazy<ReportDatabase>(() => ReportDatabase.Connect(storage.ConnectionString, t))).Value;
}
