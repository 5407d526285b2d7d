using Funnel.Host.Deals;
using Funnel.Host.Health;
using Funnel.Host.Http;
using Funnel.Host.Messaging;
using Funnel.Host.Storage;
using Funnel.Host.Telemetry;
using JasperFx;

CommandConsole.Install();
var builder = WebApplication.CreateBuilder(args);
builder.AddFunnelLogging();
var storage = await builder.AddFunnelStorageAsync();
builder.AddFunnelMessaging(storage);
builder.AddFunnelTelemetry();
builder.AddFunnelHttp();
builder.AddFunnelHealth();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<DealCommandRunner>();
builder.Services.AddScoped(CommandCaller.Current);
builder.Services.AddHttpContextAccessor();

var app = builder.Build();
app.MapFunnelHttp();
CommandCaller.ReadFromRequests(app);
app.MapFunnelHealth();
return await app.RunJasperFxCommands(args);

/// <summary>Exposed for the in-process tests (WebApplicationFactory).</summary>
public partial class Program;
