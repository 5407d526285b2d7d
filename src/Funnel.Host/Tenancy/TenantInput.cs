using JasperFx.CommandLine;

namespace Funnel.Host.Tenancy;

/// <summary>The input of a command that works in one tenant (import, export, verify): --tenant, the default one unless given.</summary>
public class TenantInput : NetCoreInput
{
    [Description("The tenant (sales organisation) to work in; default: default"), FlagAlias("tenant", 't')]
    public string TenantFlag { get; set; } = Tenants.Default;

    /// <summary>Refuses a tenant that does not exist, saying how to create it.</summary>
    public async Task EnsureTenantExistsAsync(IHost host)
    {
        if (!await host.Services.GetRequiredService<TenantRegistry>().ExistsAsync(TenantFlag, CancellationToken.None))
        {
            throw new CommandLine.CommandMistake($"There is no tenant '{TenantFlag}'; create it with: {CommandLine.FunnelCommandLine.Invocation} tenants create {TenantFlag}");
        }
    }
}
