using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace Funnel.Host.Tests.Contracts;

/// <summary>A C# client generated from the service's OpenAPI document by NSwag and compiled in memory, as another service would.</summary>
public sealed class GeneratedClient
{
    private readonly Assembly assembly;

    private GeneratedClient(Assembly assembly, string code)
    {
        this.assembly = assembly;
        Code = code;
    }

    public string Code { get; }

    public static async Task<GeneratedClient> GenerateAsync(string documentJson)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(documentJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "FunnelClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            CSharpGeneratorSettings = { Namespace = "Funnel.Client", JsonLibrary = CSharpJsonLibrary.SystemTextJson },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.Create(
            $"FunnelClient{Guid.NewGuid():N}", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Annotations));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        image.Position = 0;
        return new GeneratedClient(new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(image), code);
    }

    public Type TypeNamed(string name) => assembly.GetType($"Funnel.Client.{name}", throwOnError: true)!;

    public object Client(HttpClient http) => Activator.CreateInstance(TypeNamed("FunnelClient"), http)!;

    /// <summary>
    /// Calls the operation's method (NSwag names it after the operationId) with the values named, a body deserialized
    /// from JSON into the generated type, and null for the rest; returns what it answered.
    /// </summary>
    public async Task<object?> CallAsync(object client, string operationId, IReadOnlyDictionary<string, object?> values, string? body)
    {
        var name = char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";
        var method = client.GetType().GetMethods().Where(m => m.Name == name).OrderBy(m => m.GetParameters().Length).First();
        var arguments = method.GetParameters().Select(p =>
            values.TryGetValue(p.Name!, out var value) ? value
            : body is not null && p.ParameterType.Namespace == "Funnel.Client" ? System.Text.Json.JsonSerializer.Deserialize(body, p.ParameterType, Web)
            : null).ToArray();
        var task = (Task)method.Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static object? Property(object? value, string name) => value?.GetType().GetProperty(name)?.GetValue(value);
}
