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
public sealed class TenantsCommand : JasperFxAsyncCommand<TenantsInput>
{
    public TenantsCommand()
    {
        Usage("List the tenants").Arguments(x => x.Action);
        Usage("Create a tenant").Arguments(x => x.Action, x => x.Id);
    }

    public override async Task<bool> Execute(TenantsInput input)
    {
        using var host = input.BuildHost();
        await host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var tenants = host.Services.GetRequiredService<TenantRegistry>();
        switch (input.Action)
        {
            case "create":
                var (created, refused) = await tenants.CreateAsync(input.Id, CancellationToken.None);
                if (refused is not null)
                {
                    await Console.Error.WriteLineAsync($"{refused.Field}: {refused.Message}");
                    return false;
                }

                Console.WriteLine($"tenant '{created}' created. A running service serves it from its next start; give it a key with:");
                Console.WriteLine($"dotnet run --project src/Funnel.Host -- keys create --tenant {created} --name {created}-admin --scopes {string.Join(",", Scopes.All)}");
                return true;
            case "list":
                foreach (var id in await tenants.ListAsync(CancellationToken.None))
                {
                    Console.WriteLine(id);
                }

                return true;
            default:
                await Console.Error.WriteLineAsync($"Unknown action '{input.Action}': create or list.");
                return false;
        }
    }
}
