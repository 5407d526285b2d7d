using System.Buffers;
using System.Text.Json;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Http;

/// <summary>
/// Reads a JSON body into a command, with one field set from the route (the route wins). A value of the wrong type is
/// a 400 naming the field, as Wolverine's binding answers it (<see cref="HttpConfiguration"/>). RequestGuard has
/// already refused what is not a well-formed JSON object.
/// </summary>
public static class JsonBody
{
    public const string Rule = "json";

    /// <summary>Every command body is one JSON object (RequestGuard refuses any other well-formed body with this too).</summary>
    public static Rejection NotAnObject => Rejection.Invalid("body", "json-object", "The body is a JSON object.");

    public static Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpRequest request, CancellationToken ct) => ReadAsync<T>(request, null, null, ct);

    /// <summary>The body as <typeparamref name="T"/>, with the route's value (when given) in place of the field it names.</summary>
    public static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpRequest request, string? routeField, string? routeValue, CancellationToken ct)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        using var body = await ParseAsync(request, ct);
        if (body?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return (default, Problems.From(NotAnObject));
        }

        // The body as sent (a repeated name included: the last one wins, as in any binding), the route's value in place of the field's.
        var merged = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(merged))
        {
            writer.WriteStartObject();
            foreach (var property in body.RootElement.EnumerateObject().Where(p => !string.Equals(p.Name, routeField, StringComparison.OrdinalIgnoreCase)))
            {
                property.WriteTo(writer);
            }

            if (routeField is not null)
            {
                writer.WriteString(routeField, routeValue);
            }
            writer.WriteEndObject();
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(merged.WrittenSpan, options), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.From(Mistyped(e)));
        }
    }

    /// <summary>One object of a batch as <paramref name="type"/>, or why it is not one (each element is read on its own).</summary>
    public static (object? Value, Rejection? Refusal) Read(JsonElement element, Type type, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, NotAnObject);
        }

        try
        {
            return (element.Deserialize(type, options), null);
        }
        catch (JsonException e)
        {
            return (null, Mistyped(e));
        }
    }

    /// <summary>Whether a well-formed JSON object reads as <paramref name="type"/>; if not, the mistyped field (read straight from the bytes, no document built).</summary>
    public static Rejection? Mistyped(ReadOnlySpan<byte> json, Type type, JsonSerializerOptions options)
    {
        try
        {
            JsonSerializer.Deserialize(json, type, options);
            return null;
        }
        catch (JsonException e)
        {
            return Mistyped(e);
        }
    }

    /// <summary>A value the serializer could not read: the field it names, refused as mistyped.</summary>
    private static Rejection Mistyped(JsonException e)
    {
        var field = FieldOf(e.Path);
        return Rejection.Invalid(field, Rule, Mistyped(field));
    }

    /// <summary>The body's JSON; null when there is none (RequestGuard refused any other malformed body).</summary>
    private static async Task<JsonDocument?> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The field a JSON path names ("$.amount" is amount; the root is the body).</summary>
    public static string FieldOf(string? path) => (path ?? "").TrimStart('$', '.') is { Length: > 0 } field ? field : "body";

    public static string Mistyped(string field) => $"The JSON value of '{field}' does not have the type that field takes.";
}
