using System.Text.Json.Serialization;
using Funnel.Host.Deals;
using Funnel.Host.Messaging;
using Funnel.Host.Storage;
using Funnel.Host.Telemetry;
using JasperFx;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);
var storage = await builder.AddFunnelStorageAsync();
builder.AddFunnelMessaging(storage);
builder.AddFunnelTelemetry();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<DealCommandRunner>();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
builder.Services.AddWolverineHttp();

var app = builder.Build();
app.UseExceptionHandler();
app.MapWolverineEndpoints();
return await app.RunJasperFxCommands(args);

/// <summary>Exposed for the in-process tests (WebApplicationFactory).</summary>
public partial class Program;
