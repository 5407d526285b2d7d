using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Funnel.Host.Telemetry;
using Scalar.AspNetCore;

namespace Funnel.Host.Http;

public static partial class HttpConfiguration
{
    public static void AddFunnelHttp(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context => NameTheJsonField(context.ProblemDetails));
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        ProxySettings.Configure(builder);
        builder.Services.Configure<RequestLimits>(builder.Configuration.GetSection(RequestLimits.Section));
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetSection(RequestLimits.Section).Get<RequestLimits>()?.MaxBodyBytes ?? new RequestLimits().MaxBodyBytes);
        builder.Services.AddFunnelOpenApi();
        builder.Services.AddWolverineHttp();
    }

    /// <summary>First of all: the caller as a trusted proxy forwarded it, every request logged, and no exception escaping as anything but a problem.</summary>
    public static void UseFunnelRequestLogAndErrors(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseFunnelRequestLog();
        app.UseExceptionHandler();
    }

    /// <summary>After access: the request guard, then the endpoints.</summary>
    public static void MapFunnelHttp(this WebApplication app)
    {
        app.UseMiddleware<RequestGuard>();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapWolverineEndpoints(options =>
        {
            OpenApiConfiguration.DescribeCommonRefusals(options);
            Tenancy.CallerTenant.DetectIn(options);
        });
    }

    /// <summary>A body that does not bind (a string where a number belongs) answers 400; say which field, like every other refusal.</summary>
    private static void NameTheJsonField(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (problem.Status != StatusCodes.Status400BadRequest || problem.Extensions.ContainsKey("field") || problem.Detail is null)
        {
            return;
        }

        var path = JsonPath().Match(problem.Detail);
        if (!path.Success)
        {
            return;
        }

        var field = JsonBody.FieldOf(path.Groups[1].Value);
        problem.Extensions["field"] = field;
        problem.Detail = JsonBody.Mistyped(field);
        problem.Extensions["rule"] = JsonBody.Rule;
        problem.Type = Problems.TypeBase + JsonBody.Rule;
    }

    [GeneratedRegex(@"Path: (\$[^ |]*)")]
    private static partial Regex JsonPath();
}
