using JasperFx.CommandLine;

namespace Funnel.Host.Tenancy;

/// <summary>The input of a command that works in one tenant (import, export, verify): --tenant, the default one unless given.</summary>
public class TenantInput : NetCoreInput
{
    [Description("The tenant (sales organisation) to work in; default: default"), FlagAlias("tenant", 't')]
    public string TenantFlag { get; set; } = Tenants.Default;

    /// <summary>Refuses a pipeline the tenant does not have, saying how to define it.</summary>
    public async Task EnsurePipelineExistsAsync(IDocumentStore store, string pipelineId)
    {
        await using var session = store.QuerySessionOf(TenantFlag);
        if (await session.LoadAsync<Domain.Pipelines.Pipeline>(pipelineId) is null)
        {
            throw new CommandLine.CommandMistake($"There is no pipeline '{pipelineId}' in tenant {TenantFlag}: define it first (PUT /api/pipelines/{pipelineId}). Nothing was done.");
        }
    }

    /// <summary>Refuses a tenant that does not exist, saying how to create it.</summary>
    public async Task EnsureTenantExistsAsync(IHost host)
    {
        if (!await host.Services.GetRequiredService<TenantRegistry>().ExistsAsync(TenantFlag, CancellationToken.None))
        {
            throw new CommandLine.CommandMistake($"There is no tenant '{TenantFlag}'; create it with: {CommandLine.FunnelCommandLine.Invocation} tenants create {TenantFlag}");
        }
    }
}
