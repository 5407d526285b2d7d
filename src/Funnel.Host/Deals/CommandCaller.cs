namespace Funnel.Host.Deals;

/// <summary>
/// Who sent the command in hand, and under which Idempotency-Key: read once per HTTP request, "message" for queued
/// commands. With an API key the actor is the key's name and X-Funnel-Actor the person it acted for; without one (an
/// open service), X-Funnel-Actor is the actor.
/// </summary>
public sealed record CommandCaller(string Actor, string? IdempotencyKey, string? OnBehalfOf = null)
{
    public const string ActorHeader = "X-Funnel-Actor";

    /// <summary>The event headers that record them.</summary>
    public const string ActorEventHeader = "actor";

    public const string OnBehalfOfEventHeader = "onBehalfOf";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKey = 200;

    public static readonly CommandCaller Message = new("message", null);

    /// <summary>Records on the session's events who caused them (the actor, and the person acted for) and in which trace.</summary>
    public void Stamp(IDocumentSession session)
    {
        session.SetHeader(ActorEventHeader, Actor);
        if (OnBehalfOf is { } person)
        {
            session.SetHeader(OnBehalfOfEventHeader, person);
        }

        if (System.Diagnostics.Activity.Current is { } activity)
        {
            session.SetHeader("traceId", activity.TraceId.ToString());
            session.CorrelationId ??= activity.TraceId.ToString();
            session.CausationId ??= activity.SpanId.ToString();
        }
    }

    /// <summary>The caller of the current HTTP request (set by <see cref="ReadFromRequests"/>), else the message path's.</summary>
    public static CommandCaller Current(IServiceProvider services) =>
        services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<CommandCaller>() ?? Message;

    /// <summary>
    /// The caller of a message: its key's name and the person in its funnel-actor header, held to the rules of any text
    /// (a message naming a person no event may carry is refused, for good).
    /// </summary>
    public static CommandCaller OfMessage(Access.ApiKey? key, Wolverine.Envelope? envelope)
    {
        var person = envelope?.Headers.GetValueOrDefault(Access.MessageAccess.ActorHeader) is { Length: > 0 } named ? named : null;
        if (Text.Check(person, Access.MessageAccess.ActorHeader, required: false) is { } badActor)
        {
            throw new DealCommandRejectedException("", badActor);
        }

        return key is null ? Message : new CommandCaller(key.Name, null, person);
    }

    /// <summary>Reads the headers of every /api request once; a malformed Idempotency-Key is refused before anything runs.</summary>
    public static void ReadFromRequests(WebApplication app) => app.Use(async (context, next) =>
    {
        var headers = context.Request.Headers;
        var key = headers.TryGetValue(IdempotencyHeader, out var given) ? given.ToString() : null;
        if (key is { Length: 0 or > MaxIdempotencyKey })
        {
            await Problems.From(Rejection.Invalid(IdempotencyHeader, "idempotency-key", $"An Idempotency-Key is 1 to {MaxIdempotencyKey} characters.")).ExecuteAsync(context);
            return;
        }

        var person = headers[ActorHeader].FirstOrDefault() is { Length: > 0 } named ? named : null;
        if (Text.Check(person, ActorHeader, required: false) is { } badActor)
        {
            await Problems.From(badActor).ExecuteAsync(context);
            return;
        }

        context.Features.Set(context.User.Identity is { IsAuthenticated: true, Name: { } keyName }
            ? new CommandCaller(keyName, key, person)
            : new CommandCaller(person ?? "anonymous", key));
        await next(context);
    });
}
