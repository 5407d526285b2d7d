using Funnel.Domain;
using Funnel.Host.Http;

namespace Funnel.Host.Deals;

/// <summary>Who sent the command in hand, and under which Idempotency-Key: read once per HTTP request, "message" for queued commands.</summary>
public sealed record CommandCaller(string Actor, string? IdempotencyKey)
{
    public const string ActorHeader = "X-Funnel-Actor";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKey = 200;

    public static readonly CommandCaller Message = new("message", null);

    /// <summary>The caller of the current HTTP request (set by <see cref="ReadFromRequests"/>), else the message path's.</summary>
    public static CommandCaller Current(IServiceProvider services) =>
        services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<CommandCaller>() ?? Message;

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

        var actor = headers[ActorHeader].FirstOrDefault() is { Length: > 0 } named ? named : "anonymous";
        context.Features.Set(new CommandCaller(actor, key));
        await next(context);
    });
}
