using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Funnel.Host.Http;

/// <summary>
/// What an unhandled exception answers: 503 with Retry-After while PostgreSQL cannot be reached (a caller retries,
/// under the same Idempotency-Key), otherwise a 500 naming the trace to look up. Never a stack trace or SQL.
/// </summary>
internal sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody reads an answer.
            context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var trace = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        IResult problem;
        if (IsStoreUnavailable(exception))
        {
            logger.LogWarning("{Method} {Path}: the store is unavailable ({Reason}); answered 503", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = Problems.Of(StatusCodes.Status503ServiceUnavailable, "store", "store-unavailable",
                $"The event store cannot be reached. Retry after {RetryAfterSeconds} seconds, with the same Idempotency-Key for a command.",
                new Dictionary<string, object?> { ["traceId"] = trace });
        }
        else if (exception is BadHttpRequestException bad)
        {
            problem = Problems.Of(bad.StatusCode, "body", "unreadable-request", "The request could not be read.");
        }
        else
        {
            logger.LogError(exception, "{Method} {Path} failed (trace {TraceId})", context.Request.Method, context.Request.Path, trace);
            problem = Problems.Of(StatusCodes.Status500InternalServerError, "request", "unexpected", $"An unexpected error, logged with trace id {trace}.",
                new Dictionary<string, object?> { ["traceId"] = trace });
        }

        await problem.ExecuteAsync(context);
        return true;
    }

    /// <summary>PostgreSQL down, restarting, refusing connections or cut off mid-command, however Marten or Wolverine wrap it.</summary>
    public static bool IsStoreUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SocketException || e is NpgsqlException && e.InnerException is IOException or SocketException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStoreUnavailable))
            {
                return true;
            }
        }

        return false;
    }
}
