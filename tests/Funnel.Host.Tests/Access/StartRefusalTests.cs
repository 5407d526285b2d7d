using System.Diagnostics;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Access;

/// <summary>A service on a configured store with no key would refuse everyone: it does not start, and says how to make a key.</summary>
public sealed class StartRefusalTests
{
    [Fact]
    public async Task a_host_on_a_connection_string_without_any_key_exits_with_1_and_says_how_to_create_one()
    {
        var directory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", Path.Combine(directory, "Funnel.Host.dll"), "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__Funnel"] = await TestPostgres.CreateDatabaseAsync();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Funnel__Solo"] = "true";
        start.Environment["Funnel__Demo__Seed"] = "false";
        using var process = Process.Start(start)!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var said = await output + await error;
        Assert.True(said.Contains("requires API keys (a connection string is configured) and none exists", StringComparison.Ordinal), said);
        Assert.True(said.Contains("-- keys create --name admin --scopes keys:admin", StringComparison.Ordinal), said);
    }
}
