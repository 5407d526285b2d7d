using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Funnel.Host.Storage;

/// <summary>
/// A PostgreSQL server of our own, run from the machine's installed binaries, for a fresh machine with no
/// connection string configured (and for the tests). As root it runs as the 'postgres' account, since initdb refuses root.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable, IDisposable
{
    private readonly string binDirectory;
    private readonly bool ownsServer;
    private readonly bool temporary;
    private readonly bool durable;
    private int stopped;

    private PrivatePostgres(string binDirectory, string dataDirectory, int port, bool ownsServer, bool temporary, bool durable)
    {
        this.durable = durable;
        this.binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        this.ownsServer = ownsServer;
        this.temporary = temporary;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>The passwords and roles (set by <see cref="StartAsync"/>).</summary>
    public PrivateStoreCredentials Credentials { get; private set; } = null!;

    /// <summary>The service's connection: its own role, not a superuser, on its database (or another it owns).</summary>
    public string ConnectionString(string? database = null) => Connection(Credentials.ServiceUser, Credentials.ServicePassword, database ?? Credentials.Database);

    /// <summary>The superuser's: for creating roles and databases (the tests' databases too), never for the service.</summary>
    public string AdminConnectionString(string database = "postgres") => AdminConnectionString(Credentials, database);

    internal string AdminConnectionString(PrivateStoreCredentials credentials, string database) => Connection(credentials.AdminUser, credentials.AdminPassword, database);

    private string Connection(string user, string password, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            // Its unix socket: a command's round trips to PostgreSQL cost far fewer system calls than over loopback TCP.
            Host = DataDirectory, Port = Port, Username = user, Password = password, Database = database, Pooling = true, MaxPoolSize = 40, Timeout = 5,
        }.ConnectionString;

    /// <summary>Starts (or reuses, when it is already running) the server whose data lives in <paramref name="dataDirectory"/>.</summary>
    /// <param name="temporary">A throw-away server (tests): its directory is deleted on dispose, and unless <paramref name="durable"/>, fsync is off.</param>
    /// <param name="durable">Commits reach the disk before they are acknowledged: what crash drills need.</param>
    public static async Task<PrivatePostgres> StartAsync(string dataDirectory, bool temporary = false, bool durable = false)
    {
        var bin = FindBinaries();
        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(dataDirectory);
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory]);
            await RunAsync("chmod", ["700", dataDirectory]);
            if (OperatingSystem.IsLinux())
            {
                await EnsurePostgresAccountReachesAsync(dataDirectory);
            }
        }

        var freshAdminPassword = File.Exists(Path.Combine(dataDirectory, "PG_VERSION")) ? null : await InitAsync(bin, asRoot, dataDirectory);
        PrivatePostgres server;
        if (RunningPort(dataDirectory) is { } running && await IsAliveAsync(bin, asRoot, dataDirectory))
        {
            server = new PrivatePostgres(bin, dataDirectory, running, ownsServer: false, temporary, durable || !temporary);
        }
        else
        {
            server = new PrivatePostgres(bin, dataDirectory, FreePort(), ownsServer: true, temporary, durable || !temporary);
            await server.LaunchAsync();
        }

        server.Credentials = await PrivateStoreAccess.EnsureAsync(server, freshAdminPassword);
        return server;
    }

    /// <summary>As root the server runs as 'postgres', which must be able to pass through every folder above its directory.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static async Task EnsurePostgresAccountReachesAsync(string dataDirectory)
    {
        try
        {
            await RunAsync("runuser", ["-u", "postgres", "--", "test", "-w", dataDirectory]);
        }
        catch (InvalidOperationException)
        {
            var closed = Ancestors(Path.GetFullPath(dataDirectory)).FirstOrDefault(d => (File.GetUnixFileMode(d) & UnixFileMode.OtherExecute) == 0);
            throw new StartRefusedException(
                $"The data directory {dataDirectory} is out of reach of the 'postgres' account that runs PostgreSQL for root" +
                (closed is null ? "." : $": {closed} is closed to other users (chmod o+x {closed}).") +
                " Choose a Funnel__DataDirectory under /var/tmp, for example.");
        }
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (var parent = Path.GetDirectoryName(directory); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    /// <summary>A new cluster whose every connection, socket or TCP, needs a password (SCRAM); its superuser's password is returned.</summary>
    private static async Task<string> InitAsync(string bin, bool asRoot, string dataDirectory)
    {
        var password = PrivateStoreCredentials.NewPassword();
        var passwordFile = Path.Combine(Path.GetTempPath(), $"funnel-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, password);
        PrivateStoreCredentials.OwnerOnly(passwordFile);
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", ["postgres:postgres", passwordFile]);
            }

            await RunPgAsync(bin, asRoot, "initdb",
                ["-D", dataDirectory, "-A", "scram-sha-256", "-U", PrivateStoreCredentials.FreshAdmin, "--pwfile", passwordFile, "-E", "UTF8", "--no-sync"]);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        return password;
    }

    /// <summary>Fault drills: the postmaster killed with SIGKILL, as in a crash; PostgreSQL recovers on the next start.</summary>
    public async Task CrashAsync()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        await postmaster.WaitForExitAsync();
    }

    /// <summary>Fault drills: a clean stop (the server comes back with <see cref="LaunchAsync"/>).</summary>
    public Task StopAsync() => RunPgAsync(binDirectory, Environment.UserName == "root", "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    /// <summary>Starts the server on its port; after a crash the old backends take a moment to notice and leave, so it tries again.</summary>
    public async Task LaunchAsync()
    {
        // Reports aggregate over read-model tables: give them memory to hash and sort in.
        var settings = $"-p {Port} -k {DataDirectory} -c listen_addresses=127.0.0.1 -c max_connections=200" +
            " -c shared_buffers=512MB -c work_mem=32MB -c effective_cache_size=4GB -c random_page_cost=1.1" +
            (!durable ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunPgAsync(binDirectory, Environment.UserName == "root", "pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
                return;
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>For hosts disposed synchronously (the JasperFx commands): stops the server all the same.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (!ownsServer || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await RunPgAsync(binDirectory, Environment.UserName == "root", "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
        if (temporary)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    internal static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("FUNNEL_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange(["/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin"]);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new StartRefusedException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL (apt-get install postgresql), set FUNNEL_PG_BIN to their folder, or set ConnectionStrings:Funnel.");
    }

    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        // postmaster.pid: pid, data directory, start time, port, ...
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private static async Task<bool> IsAliveAsync(string bin, bool asRoot, string dataDirectory)
    {
        try
        {
            await RunPgAsync(bin, asRoot, "pg_ctl", ["-D", dataDirectory, "status"]);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A PostgreSQL tool, as the postgres account when running as root (initdb and pg_ctl refuse root).</summary>
    internal static Task RunPgAsync(string bin, bool asRoot, string tool, string[] args) =>
        asRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args])
            : RunAsync(Path.Combine(bin, tool), args);

    internal static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl leaves the server holding its stdout; read stderr and the exit code, not stdout to its end.
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {(await error).Trim()}");
        }
    }
}
