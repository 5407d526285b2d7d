using System.Text.Json.Nodes;
using NJsonSchema;

namespace Funnel.Host.Tests.Contracts;

/// <summary>The service's OpenAPI document, read as JSON: its operations, and the schema each answer must match.</summary>
public sealed class OpenApiDocument(JsonObject root)
{
    public static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    public JsonObject Root { get; } = root;

    public static async Task<OpenApiDocument> ReadAsync(HttpClient http) =>
        new(JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject());

    public IEnumerable<(string Path, string Method, JsonObject Operation)> Operations =>
        from path in Root["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (path.Key, method.Key, method.Value!.AsObject());

    public JsonObject Operation(string id) => Operations.Single(o => (string?)o.Operation["operationId"] == id).Operation;

    /// <summary>The operation whose path template matches a concrete path ("/api/deals/D-1/stage" → "/api/deals/{dealId}/stage").</summary>
    public (string Path, JsonObject Operation) Match(string method, string path)
    {
        var segments = path.Split('?')[0].Split('/');
        return Operations
            .Where(o => o.Method == method.ToLowerInvariant())
            .Select(o => (o.Path, o.Operation, Template: o.Path.Split('/')))
            .Where(o => o.Template.Length == segments.Length && o.Template.Zip(segments).All(p => p.First.StartsWith('{') || p.First == p.Second))
            .OrderBy(o => o.Template.Count(t => t.StartsWith('{'))) // a literal segment wins over a parameter
            .Select(o => (o.Path, o.Operation))
            .First();
    }

    /// <summary>The JSON schema of an operation's answer with this status and media type, with the document's components to resolve references.</summary>
    public async Task<JsonSchema> ResponseSchemaAsync(JsonObject operation, int status, string mediaType)
    {
        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new InvalidOperationException($"{operation["operationId"]} documents no {status}");
        var schema = response["content"]?[mediaType]?["schema"]?.DeepClone().AsObject()
            ?? throw new InvalidOperationException($"{operation["operationId"]} {status} documents no {mediaType} body");
        // NJsonSchema resolves references among "definitions": put the document's component schemas there.
        schema["definitions"] = Root["components"]!["schemas"]!.DeepClone();
        return await JsonSchema.FromJsonAsync(schema.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal));
    }
}
