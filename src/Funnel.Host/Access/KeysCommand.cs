using Funnel.Host.CommandLine;
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

    [Description("The tenant (sales organisation) the key belongs to (create, revoke; default: default) or whose keys to list (default: all)"), FlagAlias("tenant", 't')]
    public string? TenantFlag { get; set; }

    /// <summary>The arguments: what to do, and (revoke) to which key.</summary>
    [Description("create, list or revoke")]
    public string Action { get; set; } = "";

    [Description("The key to revoke")]
    public string Name { get; set; } = "";
}

[Description("Creates (printing the key once), lists or revokes API keys", Name = "keys")]
public sealed class KeysCommand : FunnelCommand<KeysInput>
{
    public KeysCommand()
    {
        Usage("Create a key or list the keys").Arguments(x => x.Action);
        Usage("Revoke a key").Arguments(x => x.Action, x => x.Name);
    }

    protected override string? Mistake(KeysInput input) => input.Action switch
    {
        "create" when input.NameFlag is null || input.ScopesFlag.Length == 0 => "keys create needs --name NAME and --scopes SCOPE[,SCOPE...].",
        "revoke" when input.Name.Length == 0 => "keys revoke needs the name of the key: keys revoke NAME [--tenant TENANT].",
        "create" or "list" or "revoke" => null,
        _ => $"keys takes create, list or revoke, not '{input.Action}'.",
    };

    protected override async Task<ExitCode> RunAsync(KeysInput input)
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
                    throw new CommandMistake($"{refused.Field}: {refused.Message}");
                }

                Console.WriteLine($"key '{created!.Name}' (tenant {created.Tenant}; {string.Join(",", created.Scopes)}; {created.RequestsPerSecond}/s). It is shown this once:");
                Console.WriteLine(created.Key);
                return ExitCode.Done;
            case "list":
                Console.WriteLine("name\ttenant\tscopes\trate\tcreated\trevoked");
                foreach (var key in await keys.ListAsync(tenant: input.TenantFlag, CancellationToken.None))
                {
                    Console.WriteLine($"{key.Name}\t{key.Tenant}\t{string.Join(",", key.Scopes)}\t{key.RequestsPerSecond}/s\t{key.CreatedAt:u}\t{(key.RevokedAt is { } at ? $"{at:u}" : "")}");
                }

                return ExitCode.Done;
            default:
                var (_, unknown) = await keys.RevokeAsync(input.Name, input.TenantFlag ?? Tenants.Default, CancellationToken.None);
                if (unknown is not null)
                {
                    throw new CommandMistake(unknown.Message);
                }

                Console.WriteLine($"key '{input.Name}' revoked");
                return ExitCode.Done;
        }
    }
}
