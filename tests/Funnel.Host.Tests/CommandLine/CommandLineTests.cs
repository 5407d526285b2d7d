using System.Diagnostics;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Host.Tests.CommandLine;

/// <summary>
/// The command line as a newcomer meets it: help that lists Funnel's commands, a mistake answered in one line with exit
/// code 2 before any PostgreSQL starts, failures that exit non-zero, and no stack trace for anything the user did.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string> NoStore = [];

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("-h")]
    public async Task help_lists_funnels_commands_and_the_store_commands_it_uses_not_the_frameworks_others(string asked)
    {
        var (exit, output) = await HostProcess.RunAsync(NoStore, asked);

        Assert.Equal(0, exit);
        foreach (var command in new[] { "import", "export", "verify", "keys", "tenants", "projections", "db-apply" })
        {
            Assert.Matches($@"(?m)^  {command} +\S", output);
        }

        Assert.DoesNotContain("capabilities", output, StringComparison.Ordinal);
        Assert.DoesNotContain("clear-handled", output, StringComparison.Ordinal);
        Assert.DoesNotContain("private PostgreSQL on port", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("projections rebuild", "projections rebuild --shard-timeout 02:00:00")]
    [InlineData("projections rebuild --projection FunnelTimeline", "projections rebuild --projection FunnelTimeline --shard-timeout 02:00:00")]
    [InlineData("projections rebuild --shard-timeout 00:10:00", "projections rebuild --shard-timeout 00:10:00")]
    [InlineData("projections list", "projections list")]
    [InlineData("import stage-history x.csv", "import stage-history x.csv")]
    public void a_rebuild_gets_two_hours_a_projection_unless_told(string given, string run) =>
        Assert.Equal(run.Split(' '), Funnel.Host.CommandLine.FunnelCommandLine.WithDefaults(given.Split(' ')));

    [Fact]
    public async Task help_on_a_command_shows_its_flags()
    {
        var (exit, output) = await HostProcess.RunAsync(NoStore, "help", "import");
        Assert.Equal(0, exit);
        Assert.Contains("--pipeline", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("There is no command 'imprt'", "imprt")]
    [InlineData("There is no file", "import", "stage-history", "no-such-file.csv", "--pipeline", "sales")]
    [InlineData("needs --pipeline ID", "import", "stage-history", "FILE")]
    [InlineData("The layout is stage-history or crm-sample", "import", "spreadsheet", "FILE")]
    [InlineData("There is no folder", "import", "crm-sample", "no-such-folder")]
    [InlineData("export needs --out FILE", "export")]
    [InlineData("--format is ndjson or csv", "export", "--out", "x.ndjson", "--format", "xml")]
    [InlineData("keys create needs --name NAME and --scopes", "keys", "create", "--name", "x")]
    [InlineData("keys takes create, list or revoke", "keys", "rotate")]
    [InlineData("tenants create needs the new tenant's id", "tenants", "create")]
    public async Task a_mistake_is_one_line_and_exit_code_2_before_any_store_starts(string said, params string[] args)
    {
        var file = Path.GetTempFileName();
        var (exit, output) = await HostProcess.RunAsync(NoStore, [.. args.Select(a => a == "FILE" ? file : a)]);

        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains(said, output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("private PostgreSQL on port", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_command_without_the_services_store_says_so_instead_of_making_an_empty_one()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"funnel-none-{Guid.NewGuid():N}");
        var (exit, output) = await HostProcess.RunAsync(new Dictionary<string, string> { ["Funnel:DataDirectory"] = directory }, "keys", "list");

        Assert.Equal(1, exit);
        Assert.Contains($"There is no store in {directory}", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task a_data_directory_the_postgres_account_cannot_reach_is_one_line_saying_what_to_change()
    {
        // Only root runs PostgreSQL as another account (CI runs as root); elsewhere there is nothing to be out of reach of.
        if (Environment.UserName != "root" || !OperatingSystem.IsLinux())
        {
            return;
        }

        var closed = Directory.CreateTempSubdirectory("funnel-closed-").FullName;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (exit, output) = await HostProcess.RunAsync(new Dictionary<string, string> { ["Funnel:DataDirectory"] = Path.Combine(closed, "pg") }, "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}");

        Assert.Equal(1, exit);
        Assert.Contains($"{closed} is closed to other users (chmod o+x {closed})", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("initdb", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ctrl_c_stops_a_rebuild_and_its_private_server_with_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"funnel-interrupted-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string> { ["Funnel:DataDirectory"] = directory, ["Funnel:Demo:Seed"] = "true" };
        await using (var service = await HostProcess.StartAsync(settings))
        {
            Assert.True(await service.TerminateAsync(TimeSpan.FromSeconds(60)), "the service did not stop on SIGTERM");
        }

        var postmaster = Path.Combine(directory, "postmaster.pid");
        Assert.False(File.Exists(postmaster), "the service left its private server running");
        await using var rebuild = HostProcess.Launch(settings, "projections", "rebuild", "--projection", TimelineProjection.ProjectionName);
        var waiting = Stopwatch.StartNew();
        while (!rebuild.Said.Contains("Rebuilding", StringComparison.Ordinal))
        {
            Assert.False(rebuild.HasExited, $"the rebuild ended before it began: {rebuild.Said}");
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(60), "the rebuild did not begin within 60 s");
            await Task.Delay(20);
        }

        await rebuild.InterruptAsync();
        Assert.True(await rebuild.ExitsWithinAsync(TimeSpan.FromSeconds(60)), "the rebuild did not end on SIGINT");
        Assert.Equal(1, rebuild.ExitCode);
        Assert.Contains("the rebuild of FunnelTimeline stopped: interrupted", rebuild.Said, StringComparison.Ordinal);
        // Stopped on the way out, the server removes its postmaster.pid; killed with the process, it would run on.
        Assert.False(File.Exists(postmaster), $"the interrupted rebuild left its private server running: {rebuild.Said}");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task failures_on_a_store_exit_non_zero()
    {
        var store = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync() };
        var exported = Path.Combine(Path.GetTempPath(), $"funnel-export-{Guid.NewGuid():N}.ndjson");

        var (exportExit, exportSaid) = await HostProcess.RunAsync(store, "export", "--pipeline", "nope", "--out", exported);
        Assert.Equal(2, exportExit);
        Assert.Contains("There is no pipeline 'nope'", exportSaid, StringComparison.Ordinal);
        Assert.False(File.Exists(exported));

        var (rebuildExit, rebuildSaid) = await HostProcess.RunAsync(store, "projections", "rebuild", "--projection", "Nope");
        Assert.Equal(2, rebuildExit);
        Assert.Contains("there is no projection 'Nope'; the projections are", rebuildSaid, StringComparison.Ordinal);
        Assert.Contains("FunnelTimeline", rebuildSaid, StringComparison.Ordinal);

        var (tenantExit, tenantSaid) = await HostProcess.RunAsync(store, "projections", "rebuild", "--tenant", "globex");
        Assert.Equal(2, tenantExit);
        Assert.Contains("no projection to rebuild for tenant 'globex'", tenantSaid, StringComparison.Ordinal);

        var (timeoutExit, timeoutSaid) = await HostProcess.RunAsync(store, "projections", "rebuild", "--shard-timeout", "soon");
        Assert.Equal(2, timeoutExit);
        Assert.Contains("--shard-timeout 'soon' is not a time span", timeoutSaid, StringComparison.Ordinal);

        // On an empty store the rebuild folds nothing, and says so.
        var (emptyExit, emptySaid) = await HostProcess.RunAsync(store, "projections", "rebuild");
        Assert.Equal(0, emptyExit);
        Assert.Matches(@"Finished rebuilding FunnelTimeline in \d+ ms \(0 events\)", emptySaid);

        // It dropped the indexes only reports read, to build them after loading the rows: every index is back.
        var indexes = TimelineTables.Live.All.SelectMany(t => t.Indexes.Select(i => i.Name)).ToArray();
        await using var connection = new NpgsqlConnection(store["ConnectionStrings:Funnel"]);
        await connection.OpenAsync();
        await using var built = new NpgsqlCommand($"select count(*) from pg_indexes where schemaname = '{Funnel.Projections.StoreTables.Schema}' and indexname = any(@names)", connection);
        built.Parameters.AddWithValue("names", indexes);
        Assert.True(indexes.Length > 20, $"only {indexes.Length} indexes defined");
        Assert.Equal((long)indexes.Length, (long)(await built.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task an_import_with_refused_rows_exits_3_and_leaves_them_beside_its_file()
    {
        var store = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync() };
        var folder = Directory.CreateTempSubdirectory("funnel-import-").FullName;
        var file = Path.Combine(folder, "history.csv");
        await File.WriteAllTextAsync(file, "deal_id,occurred_at,stage,amount,owner\nD-1,2026-01-05,validate,1000,ann\nD-2,not a date,validate,10,bob\n");
        var (noPipeline, said) = await HostProcess.RunAsync(store, "import", "stage-history", file, "--pipeline", "sales");
        Assert.Equal(2, noPipeline);
        Assert.Contains("There is no pipeline 'sales'", said, StringComparison.Ordinal);
        await using (var host = await HostProcess.StartAsync(store))
        {
            await FunnelApp.PutPipelineAsync(host.Http, "sales", ("validate", 0.1m), ("develop", 0.3m));
        }

        var (exit, output) = await HostProcess.RunAsync(store, "import", "stage-history", file, "--pipeline", "sales");

        Assert.True(exit == 3, $"exit {exit}: {output}");
        var rejected = File.ReadAllLines(Path.Combine(folder, "history.rejected.csv"));
        Assert.Equal(2, rejected.Length);
        Assert.Contains("D-2", rejected[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_broken_csv_names_its_line_and_column_and_imports_nothing()
    {
        var store = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync() };
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "deal_id,occurred_at,stage\nD-1,2026-01-05,validate\nD-2,2026-01-06,\"develop\n");

        var (exit, output) = await HostProcess.RunAsync(store, "import", "stage-history", file, "--pipeline", "sales");

        Assert.Equal(2, exit);
        Assert.Contains("line 3, column 3: a quote opened here is never closed. Nothing was imported.", output, StringComparison.Ordinal);
    }
}
