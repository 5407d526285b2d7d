using JasperFx.CommandLine;

namespace Funnel.Host.Tenancy;

/// <summary>The input of a command that works in one tenant (import, export, verify): --tenant, the default one unless given.</summary>
public class TenantInput : NetCoreInput
{
    [Description("The tenant (sales organisation) to work in; default: default"), FlagAlias("tenant", 't')]
    public string TenantFlag { get; set; } = Tenants.Default;

    /// <summary>Whether the tenant exists; if not, says so and how to create it.</summary>
    public async Task<bool> TenantExistsAsync(IHost host)
    {
        if (await host.Services.GetRequiredService<TenantRegistry>().ExistsAsync(TenantFlag, CancellationToken.None))
        {
            return true;
        }

        await Console.Error.WriteLineAsync($"There is no tenant '{TenantFlag}'; create it with: dotnet run --project src/Funnel.Host -- tenants create {TenantFlag}");
        return false;
    }
}
