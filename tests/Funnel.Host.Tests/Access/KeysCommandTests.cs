using System.Security.Cryptography;
using System.Text;
using Funnel.Host.Tests.Infrastructure;
using Npgsql;

namespace Funnel.Host.Tests.Access;

/// <summary>The keys command line: a key printed once, stored only as its SHA-256, listed and revoked by name.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task keys_create_prints_the_key_once_stores_its_hash_and_list_and_revoke_find_it_by_name()
    {
        var connection = await TestPostgres.CreateDatabaseAsync();

        var created = await RunAsync(connection, "keys", "create", "--name", "cli-sync", "--scopes", "commands:write,reports:read", "--rate", "7");
        var key = created.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("fk_", key);
        Assert.Contains("key 'cli-sync' (tenant default; commands:write,reports:read; 7/s)", created);

        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            await using var read = new NpgsqlCommand("select data::text from funnel.mt_doc_apikey where id = 'default/cli-sync'", db);
            var stored = (string)(await read.ExecuteScalarAsync())!;
            Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), stored);
            Assert.DoesNotContain(key, stored);
        }

        var listed = await RunAsync(connection, "keys", "list");
        Assert.Contains("name\ttenant\tscopes\trate\tcreated\trevoked\n", listed, StringComparison.Ordinal);
        Assert.Matches(@"cli-sync\tdefault\tcommands:write,reports:read\t7/s\t[^\t]+\t\n", listed);
        Assert.Contains("key 'cli-sync' revoked", await RunAsync(connection, "keys", "revoke", "cli-sync"));
        Assert.Matches(@"cli-sync\tdefault\t.*\t\d{4}-\d\d-\d\d [\d:]+Z\n", await RunAsync(connection, "keys", "list"));
    }

    private static async Task<string> RunAsync(string connection, params string[] args)
    {
        var (exitCode, output) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = connection }, args);
        Assert.True(exitCode == 0, $"{string.Join(' ', args)} exited with {exitCode}: {output}");
        return output;
    }
}
