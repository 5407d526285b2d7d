using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Access;

/// <summary>A service on a configured store with no key would refuse everyone: it does not start, and says how to make a key.</summary>
public sealed class StartRefusalTests
{
    [Fact]
    public async Task a_host_on_a_connection_string_without_any_key_exits_with_1_and_says_how_to_create_one()
    {
        var settings = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync(), ["Funnel:Solo"] = "true" };

        var (exitCode, said) = await HostProcess.RunAsync(settings, "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}");

        Assert.Equal(1, exitCode);
        Assert.True(said.Contains("requires API keys (a connection string is configured) and none exists", StringComparison.Ordinal), said);
        Assert.True(said.Contains("-- keys create --name admin --scopes keys:admin", StringComparison.Ordinal), said);
    }
}
