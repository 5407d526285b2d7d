using Funnel.Projections;

namespace Funnel.Host.Tenancy;

/// <summary>The sessions of mapped routes and of anything else resolved from the container: opened in the caller's tenant.</summary>
public sealed class TenantSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySessionOf(CallerTenant.Of(http.HttpContext));

    public IDocumentSession OpenSession() => store.SessionOf(CallerTenant.Of(http.HttpContext));
}

/// <summary>Sessions in a named tenant, for the command line and background work, which have no caller.</summary>
public static class TenantSessions
{
    public static IQuerySession QuerySessionOf(this IDocumentStore store, string tenant) => store.QuerySession(TenantStorage.MartenId(tenant));

    public static IDocumentSession SessionOf(this IDocumentStore store, string tenant) => store.LightweightSession(TenantStorage.MartenId(tenant));
}
