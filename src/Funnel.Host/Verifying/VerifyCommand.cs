using Funnel.Host.Tenancy;
using Funnel.Projections.Reports;
using Funnel.Host.CommandLine;
using JasperFx.CommandLine;

namespace Funnel.Host.Verifying;

[Description("Rebuilds a tenant's read models from its events into a separate schema and compares them with the live ones; exit code 0 only when identical", Name = "verify")]
public sealed class VerifyCommand : FunnelCommand<TenantInput>
{
    protected override async Task<ExitCode> RunAsync(TenantInput input)
    {
        using var host = input.BuildHost();
        await input.EnsureTenantExistsAsync(host);

        // The store's own connection string: a data source's hides the password.
        var connectionString = host.Services.GetRequiredService<Storage.StorageMode>().ConnectionString;
        var verifier = new ReadModelVerifier(connectionString, input.TenantFlag, new(host.Services.GetRequiredService<Targets.OrganisationTime>().Zone));
        var freshness = await Freshness.ReadAsync(host.Services.GetRequiredService<TenantReports>().For(input.TenantFlag), CancellationToken.None);
        if (freshness.LagEvents > 0)
        {
            Console.WriteLine($"The live read models include events up to {freshness.HighestSequence:N0} of {freshness.StoreSequence:N0}: run the service (or `projections`) until they catch up, then verify.");
            return ExitCode.Failed;
        }

        var result = await verifier.VerifyAsync(new Progress<string>(Console.WriteLine), CancellationToken.None);
        foreach (var table in result.Tables.Where(t => !t.Identical))
        {
            Console.WriteLine($"{table.Table}: {table.LiveRows:N0} live rows, {table.RebuiltRows:N0} rebuilt; {table.OnlyLive:N0} only live, {table.OnlyRebuilt:N0} only rebuilt");
            foreach (var example in table.Examples)
            {
                Console.WriteLine($"  {example}");
            }
        }

        Console.WriteLine(result.Identical
            ? $"verify: every read model is identical to its rebuild from the {result.Sequence:N0} events"
            : "verify: FAILED, the live read models differ from the events");
        return result.Identical ? ExitCode.Done : ExitCode.Failed;
    }
}
