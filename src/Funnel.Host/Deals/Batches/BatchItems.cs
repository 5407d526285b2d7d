using System.Text.Json;
using Funnel.Domain.Deals;

namespace Funnel.Host.Deals.Batches;

/// <summary>One command of a batch as read: the command, or why it could not be read (and the deal it named, if any).</summary>
public sealed record BatchItem(object? Command, string? DealId, Rejection? Refusal);

/// <summary>
/// Reads a batch: a JSON array of commands, or NDJSON (one command per line). Each is an object with a "type" (capture,
/// or the path segment of the single endpoint: stage, quote, amount, ...) and that endpoint's fields, dealId among them.
/// A command that cannot be read is refused on its own; the others go on.
/// </summary>
public static class BatchItems
{
    public const string NdjsonContentType = "application/x-ndjson";

    public const string CaptureType = "capture";

    public static IReadOnlyList<string> Types { get; } = [CaptureType, .. DealCommandRoutes.BySegment.Keys];

    /// <summary>The commands of the body, or why the body as a whole is not a batch.</summary>
    public static async Task<(IReadOnlyList<BatchItem> Items, Rejection? Refusal)> ReadAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        var (elements, refusal) = await ReadElementsAsync(request, ct);
        return refusal is not null ? ([], refusal) : ([.. elements.Select(e => Read(e, options))], null);
    }

    /// <summary>A batch body's elements, a JSON array or NDJSON, each read on its own (1 to 1,000 of them).</summary>
    public static async Task<(IReadOnlyList<JsonElement> Elements, Rejection? Refusal)> ReadElementsAsync(HttpRequest request, CancellationToken ct)
    {
        var elements = new List<JsonElement>();
        if (request.ContentType?.StartsWith(NdjsonContentType, StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(request.Body);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length > 0)
                {
                    elements.Add(JsonDocument.Parse(line).RootElement);
                }
            }
        }
        else
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            elements.AddRange(body.RootElement.EnumerateArray().Select(e => e.Clone()));
        }

        return DealBatch.CheckSize(elements.Count, "body") is { } refusal ? ([], refusal) : (elements, null);
    }

    /// <summary>One command of a batch, as it came in an HTTP batch or a <see cref="DealCommandBatch"/> message.</summary>
    public static BatchItem Read(JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new BatchItem(null, null, JsonBody.NotAnObject);
        }

        var dealId = element.TryGetProperty("dealId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var typeName = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        Type? type = typeName == CaptureType ? typeof(CaptureDeal) : typeName is null ? null : DealCommandRoutes.BySegment.GetValueOrDefault(typeName);
        if (type is null)
        {
            return new BatchItem(null, dealId, Rejection.Invalid("type", "one-of", $"type is one of {string.Join(", ", Types)}."));
        }

        if (type != typeof(CaptureDeal) && dealId is null)
        {
            return new BatchItem(null, null, Rejection.Invalid("dealId", "required", "dealId is required (it names the deal the command changes)."));
        }

        // As a path id would be (a capture's own decision refuses a malformed id as invalid input).
        if (type != typeof(CaptureDeal) && !Identifiers.IsValid(dealId))
        {
            return new BatchItem(null, dealId, Rejection.NotFound("dealId", "unknown-deal", $"There is no deal with that id: {Identifiers.Rule}"));
        }

        var (command, refusal) = JsonBody.Read(element, type, options);
        return new BatchItem(command, dealId, refusal);
    }
}
