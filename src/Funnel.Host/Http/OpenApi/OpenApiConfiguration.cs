using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Funnel.Host.Deals;
using Funnel.Projections.Reports;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Funnel.Host.Http.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json) other services generate their clients from: typed answers, every query
/// parameter and command header, the real status codes with the problem-details body, tags by feature.
/// </summary>
public static class OpenApiConfiguration
{
    public const string Description =
        "Funnel stores every sales-funnel action as an immutable event and answers reports from read models built from them, " +
        "exact at any past instant. Refusals are problem details naming the field and the rule.";

    private const string ApiKeyScheme = "apiKey";

    public static void AddFunnelOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Funnel", Version = "v1", Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key (keys create), as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Each operation needs one scope.",
                },
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeRequiredScope);
        options.AddOperationTransformer(DescribeQueryParameters);
        options.AddOperationTransformer(DescribeCommandHeaders);
        options.AddOperationTransformer(DescribeAlternativesAsync);
        options.AddSchemaTransformer(AddFiltersAndFreshnessAsync);
        options.AddSchemaTransformer(NotRequiredWhenOmittedIfNull);
        options.AddSchemaTransformer(EnumsOfNamesAreStrings);
    });

    /// <summary>
    /// What any /api endpoint may answer besides its own: a bad query value or body, an impossible id, a body too large or
    /// not JSON, the store down. Wolverine's guesses for an endpoint returning IResult (200 with an opaque IResult, 404) are dropped:
    /// each endpoint declares what it answers.
    /// </summary>
    public static void DescribeCommonRefusals(WolverineHttpOptions http) => http.ConfigureEndpoints(chain =>
    {
        chain.Finally(endpoint =>
        {
            foreach (var guess in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(IsGuess).ToList())
            {
                endpoint.Metadata.Remove(guess);
            }
        });
        chain.Metadata.WithMetadata([.. CommonRefusals(chain.RoutePattern?.Parameters.Count > 0, chain.HasRequestType)]);
    });

    /// <summary>The same for an endpoint mapped without Wolverine.</summary>
    public static RouteHandlerBuilder WithCommonRefusals(this RouteHandlerBuilder route, bool takesBody)
    {
        route.Add(endpoint =>
        {
            foreach (var refusal in CommonRefusals(((RouteEndpointBuilder)endpoint).RoutePattern.Parameters.Count > 0, takesBody))
            {
                endpoint.Metadata.Add(refusal);
            }
        });
        return route;
    }

    /// <summary>An id that cannot exist (too long, control characters) is not found, whatever the endpoint.</summary>
    private static IEnumerable<RefusesAttribute> CommonRefusals(bool hasRouteIds, bool takesBody)
    {
        yield return new RefusesAttribute(StatusCodes.Status400BadRequest);
        yield return new RefusesAttribute(StatusCodes.Status401Unauthorized);
        yield return new RefusesAttribute(StatusCodes.Status403Forbidden);
        yield return new RefusesAttribute(StatusCodes.Status429TooManyRequests);
        yield return new RefusesAttribute(StatusCodes.Status503ServiceUnavailable);
        if (hasRouteIds)
        {
            yield return new RefusesAttribute(StatusCodes.Status404NotFound);
        }

        if (takesBody)
        {
            yield return new RefusesAttribute(StatusCodes.Status413PayloadTooLarge);
            yield return new RefusesAttribute(StatusCodes.Status415UnsupportedMediaType);
        }
    }

    private static bool IsGuess(IProducesResponseTypeMetadata metadata) =>
        metadata is not IApiResponseMetadataProvider
        && (metadata.Type == typeof(IResult) || (metadata.StatusCode == StatusCodes.Status404NotFound && (metadata.Type is null || metadata.Type == typeof(void))));

    /// <summary>
    /// The scope each operation needs, as OpenAPI 3.1 lets a non-OAuth scheme name roles: the operation's security
    /// requirement lists it, and its description says it.
    /// </summary>
    private static Task DescribeRequiredScope(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).FirstOrDefault(p => p is not null && Scopes.All.Contains(p));
        if (scope is null)
        {
            return Task.CompletedTask;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [scope] }];
        operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Needs a key with the scope {scope}.";
        return Task.CompletedTask;
    }

    private static Task DescribeQueryParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<TakesAttribute>().FirstOrDefault() is { } takes)
        {
            // The framework's own description of the bound record's properties is replaced by the record's.
            operation.Parameters = [.. (operation.Parameters ?? []).Where(p => p.In != ParameterLocation.Query), .. QueryParameters.Of(takes.Record)];
        }

        return Task.CompletedTask;
    }

    private static Task DescribeCommandHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<TakesCommandHeadersAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = CommandCaller.IdempotencyHeader,
                In = ParameterLocation.Header,
                Description = "Send the command again under the same key and it is answered as the first time, appending nothing.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = CommandCaller.MaxIdempotencyKey },
            });
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = CommandCaller.ActorHeader,
                In = ParameterLocation.Header,
                Description = "The person on whose behalf the call is made, recorded with its events.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeAlternativesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AnswersOneOfAttribute>().FirstOrDefault() is not { } alternatives
            || operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content is null)
        {
            return;
        }

        var schemas = new List<IOpenApiSchema>();
        foreach (var type in alternatives.Types)
        {
            schemas.Add(await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        ok.Content["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { OneOf = schemas } };
    }

    /// <summary>Enums travel as their camelCase names: say they are strings, or generators make them integers.</summary>
    private static Task EnumsOfNamesAreStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Type is null && schema.Enum is { Count: > 0 } values && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            schema.Type = JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }

    /// <summary>A property left out when null (the deal lists without explain) is not required.</summary>
    private static Task NotRequiredWhenOmittedIfNull(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Required is { } required)
        {
            foreach (var property in context.JsonTypeInfo.Properties.Where(OmittedWhenNull))
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }

    private static bool OmittedWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), true).OfType<JsonIgnoreAttribute>()
            .Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true;

    /// <summary>Reports are answered with the request's filters echoed and the read models' freshness beside the report's own fields.</summary>
    private static async Task AddFiltersAndFreshnessAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (!typeof(IReportAnswer).IsAssignableFrom(context.JsonTypeInfo.Type) || context.JsonPropertyInfo is not null)
        {
            return;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["filters"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Every query parameter the report read, with the value it used (null when not given).",
        };
        schema.Properties["freshness"] = await context.GetOrCreateSchemaAsync(typeof(Host.Reports.ReportFreshness), null, ct);
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("filters");
        schema.Required.Add("freshness");
    }
}
