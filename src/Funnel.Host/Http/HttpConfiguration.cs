using System.Text.Json;
using System.Text.Json.Serialization;
using Funnel.Host.Telemetry;
using Scalar.AspNetCore;

namespace Funnel.Host.Http;

public static class HttpConfiguration
{
    /// <summary>Where the service listens when nothing says otherwise (--urls, ASPNETCORE_URLS, HTTP_PORTS, Kestrel:Endpoints).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static void AddFunnelHttp(this WebApplicationBuilder builder)
    {
        if (new[] { "urls", "http_ports", "https_ports" }.All(k => string.IsNullOrEmpty(builder.Configuration[k])) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddProblemDetails();
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
}
