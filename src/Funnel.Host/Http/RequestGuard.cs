using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Http;

/// <summary>
/// Checks what every API request carries before an endpoint sees it, so no handler, query or log line meets
/// a NUL, a megabyte, a hundred levels of JSON or invalid UTF-8: ids in the path, query values, and the JSON body.
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IOptions<RequestLimits> options)
{
    private static readonly string[] IdParameters = ["dealId", "pipelineId"];
    private readonly RequestLimits limits = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        var problem = CheckPath(context) ?? CheckQuery(context.Request) ?? await CheckBodyAsync(context.Request);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>An id that breaks the id rule names nothing that can exist.</summary>
    private static IResult? CheckPath(HttpContext context)
    {
        foreach (var name in IdParameters)
        {
            if (context.GetRouteValue(name) is string id && !Identifiers.IsValid(id))
            {
                var what = name == "dealId" ? "deal" : "pipeline";
                return Problems.From(Rejection.NotFound(name, $"unknown-{what}", $"There is no {what} '{Printable(id)}': {Identifiers.Rule}"));
            }
        }

        return null;
    }

    private IResult? CheckQuery(HttpRequest request)
    {
        foreach (var (name, values) in request.Query)
        {
            if (name.Length > 100 || Text.HasControlCharacters(name))
            {
                return Problems.From(Rejection.Invalid("query", "parameter-name", "A query parameter's name is at most 100 characters, without control characters."));
            }

            if (values.Any(v => v is not null && (v.Length > limits.MaxQueryValueLength || Text.HasControlCharacters(v))))
            {
                return Problems.From(Rejection.Invalid(name, "query-value", $"{name} is at most {limits.MaxQueryValueLength} characters, without control characters."));
            }
        }

        return null;
    }

    private async Task<IResult?> CheckBodyAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method) || request.ContentLength == 0)
        {
            return null;
        }

        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge();
        }

        if (request.HasJsonContentType() is false)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Content-Type", "json-content-type", "The body is JSON: send Content-Type: application/json.");
        }

        var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > limits.MaxBodyBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        if (body.Length > 0 && CheckJson(body.GetBuffer().AsSpan(0, (int)body.Length)) is { } invalid)
        {
            return Problems.From(invalid);
        }

        body.Position = 0;
        request.Body = body;
        return null;
    }

    /// <summary>Well-formed UTF-8 JSON, an object at the top, within the depth limit.</summary>
    private Rejection? CheckJson(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return Rejection.Invalid("body", "json", "The body is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return JsonBody.NotAnObject;
            }

            while (reader.Read())
            {
                // Escapes are where a NUL or half a surrogate pair hides; PostgreSQL stores neither.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && reader.GetString()!.Contains('\0'))
                {
                    return Rejection.Invalid("body", "control-characters", "A JSON string may not contain NUL (\\u0000).");
                }
            }

            return null;
        }
        catch (InvalidOperationException)
        {
            return Rejection.Invalid("body", "json", "A JSON string holds an invalid escape (half a surrogate pair).");
        }
        catch (JsonException e)
        {
            var where = $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
            return reader.CurrentDepth >= limits.MaxJsonDepth - 1
                ? Rejection.Invalid("body", "json-depth", $"The body nests deeper than {limits.MaxJsonDepth} levels ({where}).")
                : Rejection.Invalid("body", "json", $"The body is not well-formed JSON in UTF-8 ({where}).");
        }
    }

    private IResult TooLarge() =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "body", "max-body-size", $"A request body is at most {limits.MaxBodyBytes:N0} bytes.");

    private static string Printable(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Take(100))
        {
            shown.Append(char.IsControl(c) ? '?' : c);
        }

        return shown.ToString();
    }
}
