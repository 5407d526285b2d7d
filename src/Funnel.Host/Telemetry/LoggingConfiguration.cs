using System.Diagnostics;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Funnel.Host.Telemetry;

public static class LoggingConfiguration
{
    /// <summary>Turns on one log line per request (Funnel:Logging:Requests); off by default, since load would write gigabytes.</summary>
    public const string RequestsSetting = "Funnel:Logging:Requests";

    /// <summary>
    /// Warnings and errors only, one line each (JSON when the output is not a terminal), plus the host's start and stop:
    /// a failed request is one line. Defaults sit below every configured source, so Logging:LogLevel still overrides them.
    /// </summary>
    public static void AddFunnelLogging(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                ["Logging:LogLevel:Funnel"] = "Information",

                // Its key ring is kept in the store, unencrypted there on purpose (the store is the secret): no warning each time a key is made.
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            },
        });
        builder.Logging.ClearProviders();
        if (Console.IsOutputRedirected)
        {
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat, o.UseUtcTimestamp) = (true, "HH:mm:ss ", true));
        }

        // The console writes a repeated failure once a minute, with a count.
        var console = builder.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        builder.Services.Remove(console);
        builder.Services.AddSingleton<ILoggerProvider>(services =>
            new RepeatedLogs(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(services), services.GetRequiredService<TimeProvider>(), RepeatWindow));
    }

    /// <summary>How long an identical failure goes unwritten after it was written.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(1);

    public static void UseFunnelRequestLog(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(RequestsSetting))
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Funnel.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            logger.LogInformation("{Method} {Path}{Query} {Status} {ElapsedMs:F1} ms", context.Request.Method, context.Request.Path, context.Request.QueryString,
                context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
    }
}
