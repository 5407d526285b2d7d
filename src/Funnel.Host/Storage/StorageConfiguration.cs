using Funnel.Host.Deals;
using Funnel.Host.Demo;
using Funnel.Projections;
using Funnel.Projections.Reports;
using Funnel.Projections.Timeline;
using Npgsql;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Weasel.Core;
using Wolverine.Marten;

namespace Funnel.Host.Storage;

public static class StorageConfiguration
{
    public const string ConnectionStringName = "Funnel";

    /// <summary>
    /// Marten on the configured PostgreSQL, or on a private server started from the installed binaries when
    /// no connection string is set (a fresh machine: nothing to install or start by hand).
    /// </summary>
    public static async Task<StorageMode> AddFunnelStorageAsync(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        var mode = new StorageMode(Private: string.IsNullOrWhiteSpace(connectionString));
        builder.Services.AddSingleton(mode);
        if (mode.Private)
        {
            var directory = builder.Configuration["Funnel:DataDirectory"] ?? DefaultDataDirectory();
            var server = await PrivatePostgres.StartAsync(directory);

            // Commands (projections, db-apply, ...) build the host without running it: stop the server when the process ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
            builder.Services.AddHostedService(_ => new PrivatePostgresLifetime(server));
            connectionString = server.ConnectionString();
            Console.WriteLine($"Funnel: private PostgreSQL on port {server.Port}, data in {directory}");
        }

        connectionString = NoticeDeadClients(connectionString!);

        // Schema changes are applied automatically only in development or on the private server; elsewhere ship them as scripts (ops/).
        var autoCreate = mode.Private || !builder.Environment.IsProduction() ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString!));
        builder.Services.AddSingleton(ReportDatabase.Connect(connectionString!));
        builder.Services.AddSingleton<Events.EventExport>();
        builder.Services.AddMarten(options =>
            {
                ConfigureEventStore(options, connectionString!);
                options.DatabaseSchemaName = StoreTables.Schema;
                options.AutoCreateSchemaObjects = autoCreate;
                options.Schema.For<IdempotentAnswer>();
                options.AddFunnelProjections(builder.Configuration.GetValue("Funnel:CachedDeals", TimelineProjection.DefaultCachedDeals));
            })
            .UseLightweightSessions()
            .AddAsyncDaemon(mode.Solo(builder.Configuration) ? DaemonMode.Solo : DaemonMode.HotCold)
            .IntegrateWithWolverine()
            .ApplyAllDatabaseChangesOnStartup();
        if (mode.Private && builder.Configuration.GetValue("Funnel:Demo:Seed", true))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }

        return mode;
    }

    /// <summary>How events are stored and serialized: shared by the service and by verify's rebuild store, which reads the same events.</summary>
    public static void ConfigureEventStore(StoreOptions options, string connectionString)
    {
        options.Connection(connectionString);
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsString;

        // Required with the DistributedLock.Postgres 1.3.1 stand-in, or the daemon's leader lock fails (STACK.md).
        options.Events.UseAdvisoryLockTransaction = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
    }

    /// <summary>
    /// Asks PostgreSQL to check every 2 s whether the client of a running query is still there. The node holding the
    /// projection's leader lock keeps a session busy in a keep-alive sleep; without this check a node killed with
    /// SIGKILL would hold the lock until that sleep ends (about a minute), and no other node could take over.
    /// </summary>
    public static string NoticeDeadClients(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("client_connection_check_interval", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c client_connection_check_interval=2000".Trim();
        }

        return builder.ConnectionString;
    }

    private static string DefaultDataDirectory() =>
        Environment.UserName == "root"
            ? "/var/tmp/funnel/postgres" // initdb runs as 'postgres', which cannot reach /root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "funnel", "postgres");
}

/// <summary>Whether Funnel runs on its own private PostgreSQL (a single node, so Wolverine runs solo).</summary>
public sealed record StorageMode(bool Private)
{
    public bool Solo(IConfiguration configuration) => Private || configuration.GetValue<bool>("Funnel:Solo");
}

/// <summary>Stops the private server last: it is registered before Marten and Wolverine, and hosted services stop in reverse.</summary>
internal sealed class PrivatePostgresLifetime(PrivatePostgres server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
