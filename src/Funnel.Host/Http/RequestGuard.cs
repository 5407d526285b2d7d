using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Http;

/// <summary>
/// Checks what every API request carries before an endpoint sees it, so no handler, query or log line meets
/// a NUL, a megabyte, a hundred levels of JSON or invalid UTF-8: ids in the path, query values, and the JSON body. A body
/// is also read as the type the endpoint takes, so a mistyped value is refused here naming its field (from the
/// serializer's own path), before the framework's binding would log a client's mistake as a server error.
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IOptions<RequestLimits> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions)
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

        var batch = context.GetEndpoint()?.Metadata.GetMetadata<Deals.Batches.BatchBodyAttribute>() is not null;
        var bodyType = batch ? null : context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        var problem = CheckPath(context) ?? CheckQuery(context.Request) ?? await CheckBodyAsync(context.Request, batch, bodyType);
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

    /// <param name="batch">The endpoint takes a batch: a JSON array of objects, or NDJSON (one object a line).</param>
    /// <param name="bodyType">The type the endpoint reads the body as, when it says.</param>
    private async Task<IResult?> CheckBodyAsync(HttpRequest request, bool batch, Type? bodyType)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method) || request.ContentLength == 0)
        {
            return null;
        }

        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge();
        }

        var ndjson = batch && request.ContentType?.StartsWith(Deals.Batches.BatchItems.NdjsonContentType, StringComparison.OrdinalIgnoreCase) == true;
        if (request.HasJsonContentType() is false && !ndjson)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Content-Type", "json-content-type",
                batch ? $"The body is JSON or NDJSON: send Content-Type: application/json or {Deals.Batches.BatchItems.NdjsonContentType}." : "The body is JSON: send Content-Type: application/json.");
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

        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (body.Length > 0 && (ndjson ? CheckLines(bytes.Span) : CheckJson(bytes.Span, batch) ?? CheckTypes(bytes, bodyType)) is { } invalid)
        {
            return Problems.From(invalid);
        }

        body.Position = 0;
        request.Body = body;
        return null;
    }

    /// <summary>NDJSON: each line (empty ones aside) one well-formed JSON object, as <see cref="CheckJson"/> takes it.</summary>
    private Rejection? CheckLines(ReadOnlySpan<byte> body)
    {
        for (var line = 1; body.Length > 0; line++)
        {
            var end = body.IndexOf((byte)'\n');
            var text = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (text.Trim((byte)'\r').Length > 0 && CheckJson(text, array: false) is { } invalid)
            {
                return invalid with { Message = $"Line {line}: {invalid.Message}" };
            }
        }

        return null;
    }

    /// <summary>Well-formed UTF-8 JSON, an object at the top (or an array of objects, for a batch), within the depth limit.</summary>
    private Rejection? CheckJson(ReadOnlySpan<byte> json, bool array)
    {
        if (!Utf8.IsValid(json))
        {
            return Rejection.Invalid("body", "json", "The body is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != (array ? JsonTokenType.StartArray : JsonTokenType.StartObject))
            {
                return array ? Rejection.Invalid("body", "json-array", "The body is a JSON array of commands (or NDJSON, one command a line).") : JsonBody.NotAnObject;
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

    /// <summary>A well-formed object read as <paramref name="bodyType"/>: a value of the wrong type names its field.</summary>
    private Rejection? CheckTypes(ReadOnlyMemory<byte> json, Type? bodyType) =>
        bodyType is null ? null : JsonBody.Mistyped(json.Span, bodyType, jsonOptions.Value.SerializerOptions);

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
