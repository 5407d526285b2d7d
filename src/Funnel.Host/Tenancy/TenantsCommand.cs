using Funnel.Host.CommandLine;
using JasperFx.CommandLine;

namespace Funnel.Host.Tenancy;

public sealed class TenantsInput : NetCoreInput
{
    [Description("create or list")]
    public string Action { get; set; } = "";

    [Description("The new tenant's id")]
    public string Id { get; set; } = "";
}

[Description("Creates or lists tenants: sales organisations sharing the deployment, each sealed from the others", Name = "tenants")]
public sealed class TenantsCommand : FunnelCommand<TenantsInput>
{
    public TenantsCommand()
    {
        Usage("List the tenants").Arguments(x => x.Action);
        Usage("Create a tenant").Arguments(x => x.Action, x => x.Id);
    }

    protected override string? Mistake(TenantsInput input) => input.Action switch
    {
        "create" when input.Id.Length == 0 => "tenants create needs the new tenant's id: tenants create ID.",
        "create" => Tenants.CheckNew(input.Id, exists: false)?.Message,
        "list" => null,
        _ => $"tenants takes create or list, not '{input.Action}'.",
    };

    protected override async Task<ExitCode> RunAsync(TenantsInput input)
    {
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var tenants = host.Services.GetRequiredService<TenantRegistry>();
        if (input.Action == "list")
        {
            foreach (var id in await tenants.ListAsync(CancellationToken.None))
            {
                Console.WriteLine(id);
            }

            return ExitCode.Done;
        }

        var (created, refused) = await tenants.CreateAsync(input.Id, CancellationToken.None);
        if (refused is not null)
        {
            throw new CommandMistake($"{refused.Field}: {refused.Message}");
        }

        Console.WriteLine($"tenant '{created}' created. A running service serves it from its next start; give it a key with:");
        Console.WriteLine($"{FunnelCommandLine.Invocation} keys create --tenant {created} --name {created}-admin --scopes {string.Join(",", Scopes.All)}");
        return ExitCode.Done;
    }
}
