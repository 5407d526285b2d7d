using Funnel.Host.Deals;
using Funnel.Host.Tenancy;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace Funnel.Host.Storage;

public static class StorageConfiguration
{
    public const string ConnectionStringName = "Funnel";

    /// <summary>Marten on the configured PostgreSQL, or on a private server when no connection string is set.</summary>
    public static async Task<StorageMode> AddFunnelStorageAsync(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var target = new NpgsqlConnectionStringBuilder(configured);
            Console.WriteLine($"Funnel: PostgreSQL at {target.Host}:{target.Port}, database {target.Database}");
        }

        var mode = string.IsNullOrWhiteSpace(configured)
            ? new StorageMode(Private: true, NoticeDeadClients(await builder.StartPrivatePostgresAsync()), Solo: true)
            : new StorageMode(Private: false, NoticeDeadClients(configured), builder.Configuration.GetValue<bool>("Funnel:Solo"));
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(NpgsqlDataSource.Create(mode.ConnectionString));

        // Schema changes are applied automatically only in development or on the private server; elsewhere ship them as scripts (ops/).
        var autoCreate = mode.Private || !builder.Environment.IsProduction() ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        if ((autoCreate != AutoCreate.None || Environment.GetCommandLineArgs().Contains("db-apply")) && await TenancyUpgrade.ApplyIfNeededAsync(mode.ConnectionString))
        {
            Console.WriteLine("Funnel: the store was made before tenants; its events now belong to the tenant 'default'.");
        }

        var tenants = new StartedTenants(await TenantRegistry.ReadAsync(mode.ConnectionString));
        if (autoCreate != AutoCreate.None)
        {
            await PrepareReadModelsAsync(mode.ConnectionString, tenants.All);
        }

        builder.Services.AddSingleton(tenants);
        builder.Services.AddSingleton<TenantRegistry>();

        builder.Services.AddMarten(options =>
            {
                ConfigureEventStore(options, mode.ConnectionString);
                options.DatabaseSchemaName = StoreTables.Schema;
                options.AutoCreateSchemaObjects = autoCreate;
                options.Storage.Add(new TenantEventsIndex(options.Advanced.Migrator));
                options.Schema.For<IdempotentAnswer>();
                options.Schema.For<Deals.Batches.BatchReply>();
                options.Schema.For<Activities.LoggedActivity>();
                ApiKeyStore.Register(options);
                TenantRegistry.Register(options);
                Dashboard.SignInKeyRing.Register(options);
                Events.EventCursors.Register(options);
                options.AddFunnelProjections(tenants.All, new CounterCalendar(Targets.OrganisationTime.From(builder.Configuration).Zone),
                    builder.Configuration.GetValue("Funnel:CachedDeals", TimelineProjection.DefaultCachedDeals),
                    builder.Configuration.GetValue("Funnel:RecountBehind", TimelineProjection.DefaultRecountBehind));
            })
            .BuildSessionsWith<TenantSessionFactory>()
            .AddAsyncDaemon(mode.Solo ? DaemonMode.Solo : DaemonMode.HotCold)
            .IntegrateWithWolverine()
            .ApplyAllDatabaseChangesOnStartup();
        return mode;
    }

    /// <summary>
    /// A private server started from the installed binaries when no connection string is set (a fresh machine: nothing
    /// to install or start by hand); it stops with the host, or with the process for commands that never run the host.
    /// </summary>
    private static async Task<string> StartPrivatePostgresAsync(this WebApplicationBuilder builder)
    {
        var directory = builder.Configuration["Funnel:DataDirectory"] ?? DefaultDataDirectory();

        // A command never makes a store of its own: without the service's directory it would work on an empty one.
        if (CommandLine.FunnelCommandLine.ThisProcessRunsADataCommand && !File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            throw new StartRefusedException(
                $"There is no store in {directory}. The service makes its private store on its first start (dotnet run --project src/Funnel.Host); " +
                "give a command the service's Funnel__DataDirectory, or ConnectionStrings__Funnel for a PostgreSQL of your own.");
        }

        var server = await PrivatePostgres.StartAsync(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        builder.Services.AddHostedService(_ => new PrivatePostgresLifetime(server));
        Console.WriteLine($"Funnel: private PostgreSQL on port {server.Port}, data in {directory}");
        return server.ConnectionString();
    }

    /// <summary>How events are stored and serialized: shared by the service and by verify's rebuild store, which reads the same events.</summary>
    public static void ConfigureEventStore(StoreOptions options, string connectionString)
    {
        options.Connection(connectionString);
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsString;

        // Tenants share the event and document tables, every row marked with its tenant; keys and the tenant registry opt out.
        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Policies.AllDocumentsAreMultiTenanted();

        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;

        // Freshness reads a tenant's newest events by an index of ours (the service's store creates it), which no
        // store's migration may drop.
        options.Events.IgnoreIndex(TenantEventsIndex.Name);
    }

    /// <summary>
    /// Each tenant's read models a rebuild stopped halfway left, emptied before the schema's update builds their missing
    /// indexes (<see cref="StoppedRebuild"/>); then the indexes a newer version added to stored tables, built without
    /// the update's timeout (<see cref="ReportIndexes.BuildMissingAsync"/>).
    /// </summary>
    private static async Task PrepareReadModelsAsync(string connectionString, IEnumerable<string> tenants)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var tenant in tenants)
        {
            await StoppedRebuild.EmptyAsync(connection, TenantStorage.ReadModels(tenant), TenantStorage.ShardName(tenant), rebuilding: false, CancellationToken.None);
            await ReportIndexes.BuildMissingAsync(connection, TenantStorage.ReadModels(tenant).All, CancellationToken.None);
        }
    }

    /// <summary>
    /// The keys and the tenant registry of a store's database, reached before any service runs on it: for what starts
    /// the service itself (tests, benchmarks) and cannot run the keys or tenants command first.
    /// </summary>
    public static async Task<DocumentStore> OpenAccessStoreAsync(string connectionString)
    {
        var store = DocumentStore.For(options =>
        {
            ConfigureEventStore(options, connectionString);
            options.DatabaseSchemaName = StoreTables.Schema;
            ApiKeyStore.Register(options);
            TenantRegistry.Register(options);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
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

/// <summary>Where the store is: Funnel's own private PostgreSQL or a configured one.</summary>
/// <param name="Solo">One node (Funnel:Solo, always so on the private server): Wolverine and the projection daemon run solo.</param>
public sealed record StorageMode(bool Private, string ConnectionString, bool Solo);

/// <summary>Stops the private server last: it is registered before Marten and Wolverine, and hosted services stop in reverse.</summary>
internal sealed class PrivatePostgresLifetime(PrivatePostgres server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
