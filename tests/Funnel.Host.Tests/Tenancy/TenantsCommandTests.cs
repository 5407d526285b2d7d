using Funnel.Host.Tests.Crm;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Tenancy;

/// <summary>The command line in a tenant: tenants create and list, and keys, import, rebuild, verify and export with --tenant.</summary>
public sealed class TenantsCommandTests
{
    [Fact]
    public async Task a_tenant_is_created_given_keys_imported_into_rebuilt_verified_and_exported_alone()
    {
        var connection = await TestPostgres.CreateDatabaseAsync();

        Assert.Contains("tenant 'acme' created", await RunAsync(connection, 0, "tenants", "create", "acme"));
        Assert.Contains("The tenant 'acme' exists.", await RunAsync(connection, 2, "tenants", "create", "acme"));
        Assert.Equal(["default", "acme"], Lines(await RunAsync(connection, 0, "tenants", "list")).TakeLast(2));
        Assert.Contains("key 'acme-sync' (tenant acme; reports:read; ", await RunAsync(connection, 0, "keys", "create", "--name", "acme-sync", "--tenant", "acme", "--scopes", "reports:read"));
        Assert.Contains("There is no tenant 'globex'", await RunAsync(connection, 2, "keys", "create", "--name", "globex-sync", "--tenant", "globex", "--scopes", "reports:read"));
        Assert.Contains("There is no tenant 'globex'", await RunAsync(connection, 2, "export", "--tenant", "globex", "--out", Path.GetTempFileName()));

        // The sample lands in acme: one capture per opportunity and one win or loss per closed one, plus the pipeline's definition.
        var opportunities = CrmSample.Opportunities();
        var rows = opportunities.Count + opportunities.Count(o => o.CloseDate is not null);
        Assert.Contains($"events appended {rows:N0}", await RunAsync(connection, 0, "import", "crm-sample", CrmSample.Directory, "--tenant", "acme"));

        await RunAsync(connection, 0, "projections", "rebuild", "--tenant", "acme");
        Assert.Contains("verify: every read model is identical", await RunAsync(connection, 0, "verify", "--tenant", "acme"));

        var (acmeFile, defaultFile) = (Path.GetTempFileName(), Path.GetTempFileName());
        Assert.Contains($"exported {rows + 1:N0} events of tenant acme", await RunAsync(connection, 0, "export", "--tenant", "acme", "--out", acmeFile));
        Assert.Contains("exported 0 events of tenant default", await RunAsync(connection, 0, "export", "--out", defaultFile));
        Assert.Equal(rows + 1, File.ReadLines(acmeFile).Count());
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string> RunAsync(string connection, int exitCode, params string[] args)
    {
        var (exited, output) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = connection }, args);
        Assert.True(exited == exitCode, $"{string.Join(' ', args)} exited with {exited}: {output}");
        return output;
    }
}
