using Funnel.Domain.Pipelines;
using Funnel.Host.Tenancy;
using JasperFx.CommandLine;

namespace Funnel.Host.Importing;

public sealed class ImportInput : TenantInput
{
    [Description("The layout: stage-history (one row per change) or crm-sample (the CRM sample data set's folder)")]
    public string Layout { get; set; } = "";

    [Description("The CSV file (stage-history) or folder (crm-sample)")]
    public string Source { get; set; } = "";

    [Description("The pipeline to import into (stage-history; crm-sample always uses 'crm')"), FlagAlias("pipeline", 'p')]
    public string? PipelineFlag { get; set; }

    [Description("Where to write the rejected rows, if any (default: SOURCE-NAME.rejected.csv in the current folder)"), FlagAlias("rejected", 'r')]
    public string? RejectedFlag { get; set; }
}

[Description("Imports deal history through the same rules as the API, in batches; running it again appends nothing", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public override async Task<bool> Execute(ImportInput input)
    {
        input.Source = CommandPaths.Resolve(input.Source);
        using var host = input.BuildHost();
        if (!await input.TenantExistsAsync(host))
        {
            return false;
        }

        var importer = new DealImporter(host.Services.GetRequiredService<IDocumentStore>(), TimeProvider.System, input.TenantFlag);
        var (pipelineId, deals, unreadable) = input.Layout switch
        {
            "stage-history" => StageHistory(input),
            "crm-sample" => await CrmSampleAsync(host.Services.GetRequiredService<IDocumentStore>(), input.TenantFlag, input.Source),
            _ => throw new ArgumentException($"Unknown layout '{input.Layout}': stage-history or crm-sample."),
        };

        var summary = await importer.ImportAsync(pipelineId, deals, unreadable, ConsoleImportProgress.ForConsole(), CancellationToken.None);
        Console.WriteLine(summary);
        if (summary.Rejected.Count > 0)
        {
            var rejectedFile = CommandPaths.Resolve(input.RejectedFlag ?? Path.GetFileNameWithoutExtension(input.Source.TrimEnd('/')) + ".rejected.csv");
            await RejectedRows.WriteAsync(rejectedFile, summary.Rejected);
            Console.WriteLine($"rejected rows written to {rejectedFile}");
        }
        return true;
    }

    private static (string, List<IGrouping<string, Domain.Importing.HistoryRow>>, List<RejectedRow>) StageHistory(ImportInput input)
    {
        var pipelineId = input.PipelineFlag ?? throw new ArgumentException("stage-history needs --pipeline ID.");
        using var reader = new StreamReader(input.Source);
        var (deals, unreadable) = StageHistoryFile.Read(reader);
        return (pipelineId, deals, unreadable);
    }

    private static async Task<(string, List<IGrouping<string, Domain.Importing.HistoryRow>>, List<RejectedRow>)> CrmSampleAsync(IDocumentStore store, string tenant, string directory)
    {
        var reading = CrmSampleFiles.Read(directory);
        Console.WriteLine($"crm-sample: {reading.ProspectingDeals:N0} Prospecting deals have no dates: captured into prospecting on {reading.ProspectingDate:yyyy-MM-dd}");
        foreach (var (spelled, name) in reading.ResolvedProducts)
        {
            Console.WriteLine($"crm-sample: product '{spelled}' resolved to '{name}' (products.csv)");
        }

        await using var session = store.SessionOf(tenant);
        if (await session.LoadAsync<Pipeline>(CrmSampleFiles.PipelineId) is null)
        {
            var first = reading.Deals.SelectMany(d => d).Min(r => r.OccurredAt);
            session.Events.StartStream<Pipeline>(CrmSampleFiles.PipelineId, new PipelineDefined(CrmSampleFiles.PipelineId, "CRM sample", CrmSampleFiles.Stages, first));
            await session.SaveChangesAsync();
        }

        return (CrmSampleFiles.PipelineId, reading.Deals, reading.Unreadable);
    }
}
