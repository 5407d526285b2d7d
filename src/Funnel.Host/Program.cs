using Funnel.Host.Activities;
using Funnel.Host.Dashboard;
using Funnel.Host.Deals;
using Funnel.Host.Demo;
using Funnel.Host.Health;
using Funnel.Host.Internal;
using Funnel.Host.Messaging;
using Funnel.Host.Reports;
using Funnel.Host.Reps;
using Funnel.Host.Storage;
using Funnel.Host.Targets;
using Funnel.Host.Telemetry;
using JasperFx;

CommandConsole.Install();
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.AddFunnelLogging();
builder.AddFunnelGeneratedCode();
var storage = await builder.AddFunnelStorageAsync();
builder.AddFunnelDemo(storage);
builder.AddFunnelMessaging(storage);
builder.AddFunnelTelemetry();
builder.AddFunnelHttp();
builder.AddFunnelAccess(storage);
builder.AddFunnelHealth();
builder.AddFunnelDeals();
builder.AddFunnelReps();
builder.AddFunnelActivities();
builder.AddFunnelTargets();
builder.AddFunnelReports();
builder.AddFunnelDashboard();

var app = builder.Build();
app.UseFunnelRequestLogAndErrors();
app.UseFunnelAccess();
app.MapFunnelHttp();
app.UseFunnelDeals();
app.UseFunnelReps();
app.UseFunnelActivities();
app.UseFunnelTargets();
app.UseFunnelReports();
app.UseFunnelDashboard();
app.MapFunnelHealth();
return await app.RunFunnelAsync(args);

/// <summary>Exposed for the in-process tests (WebApplicationFactory).</summary>
public partial class Program;
