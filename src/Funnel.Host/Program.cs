using Funnel.Host.Activities;
using Funnel.Host.CommandLine;
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
if (await FunnelCommandLine.AnswerBeforeStartAsync(args) is { } answered)
{
    return answered;
}

WebApplication app;
try
{
    app = await BuildAsync(args);
}
catch (StartRefusedException refused)
{
    // A store that cannot be reached or made as configured: one line saying what to change.
    await Console.Error.WriteLineAsync($"Funnel: {refused.Message}");
    return (int)ExitCode.Failed;
}

return await app.RunFunnelAsync(FunnelCommandLine.WithDefaults(args));

static async Task<WebApplication> BuildAsync(string[] args)
{
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
    return app;
}

/// <summary>Exposed for the in-process tests (WebApplicationFactory).</summary>
public partial class Program;
