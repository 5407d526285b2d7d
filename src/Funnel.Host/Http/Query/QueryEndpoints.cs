using Funnel.Host.Http.OpenApi;

namespace Funnel.Host.Http.Query;

public static class QueryEndpoints
{
    /// <summary>
    /// The endpoint reads its query string as <typeparamref name="T"/> (bound with <c>[AsParameters]</c>): it is checked
    /// before the handler runs, a refusal answered as problem details, and the OpenAPI document describes it.
    /// </summary>
    public static RouteHandlerBuilder TakesQuery<T>(this RouteHandlerBuilder route)
        where T : IQueryParameters =>
        route.WithMetadata(new TakesAttribute(typeof(T))).AddEndpointFilter(async (context, next) =>
        {
            var record = context.Arguments.OfType<T>().Single();
            return QueryRecord.Accept(record, context.HttpContext.Request.Query) is { } refused ? Problems.From(refused) : await next(context);
        });
}
