using JasperFx.CommandLine;

namespace Funnel.Host.Access;

public sealed class KeysInput : NetCoreInput
{
    [Description("The new key's name, recorded as the actor of what it does"), FlagAlias("name", 'n')]
    public string? NameFlag { get; set; }

    [Description("Comma-separated scopes: commands:write, reports:read, events:read, pipelines:admin, targets:admin, import, keys:admin"), FlagAlias("scopes", 's')]
    public string ScopesFlag { get; set; } = "";

    [Description("Requests per second the key may make (default: Funnel:Auth:RequestsPerSecond)"), FlagAlias("rate", 'r')]
    public int? RateFlag { get; set; }

    [Description("The tenant (sales organisation) the key belongs to; default: default"), FlagAlias("tenant", 't')]
    public string? TenantFlag { get; set; }

    /// <summary>The arguments: what to do, and (revoke) to which key.</summary>
    [Description("create, list or revoke")]
    public string Action { get; set; } = "";

    [Description("The key to revoke")]
    public string Name { get; set; } = "";
}

[Description("Creates (printing the key once), lists or revokes API keys", Name = "keys")]
public sealed class KeysCommand : JasperFxAsyncCommand<KeysInput>
{
    public KeysCommand()
    {
        Usage("Create a key or list the keys").Arguments(x => x.Action);
        Usage("Revoke a key").Arguments(x => x.Action, x => x.Name);
    }

    public override async Task<bool> Execute(KeysInput input)
    {
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var keys = host.Services.GetRequiredService<ApiKeyStore>();
        switch (input.Action)
        {
            case "create":
                var scopes = input.ScopesFlag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var (created, refused) = await keys.CreateAsync(new CreateApiKey(input.NameFlag, input.TenantFlag, scopes, input.RateFlag), CancellationToken.None);
                if (refused is not null)
                {
                    Console.Error.WriteLine($"{refused.Field}: {refused.Message}");
                    return false;
                }

                Console.WriteLine($"key '{created!.Name}' (tenant {created.Tenant}; {string.Join(",", created.Scopes)}; {created.RequestsPerSecond}/s). It is shown this once:");
                Console.WriteLine(created.Key);
                return true;
            case "list":
                foreach (var key in await keys.ListAsync(tenant: null, CancellationToken.None))
                {
                    Console.WriteLine($"{key.Name}\t{key.Tenant}\t{string.Join(",", key.Scopes)}\t{key.RequestsPerSecond}/s\tcreated {key.CreatedAt:u}{(key.RevokedAt is { } at ? $"\trevoked {at:u}" : "")}");
                }

                return true;
            case "revoke":
                var (_, unknown) = await keys.RevokeAsync(input.Name, input.TenantFlag ?? Tenants.Default, CancellationToken.None);
                Console.WriteLine(unknown?.Message ?? $"key '{input.Name}' revoked");
                return unknown is null;
            default:
                Console.Error.WriteLine($"Unknown action '{input.Action}': create, list or revoke.");
                return false;
        }
    }
}
