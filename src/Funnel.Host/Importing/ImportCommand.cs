using Funnel.Domain.Pipelines;
using Funnel.Host.Tenancy;
using Funnel.Host.CommandLine;
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

    [Description("Where to write the rejected rows, if any (default: SOURCE-NAME.rejected.csv beside the source)"), FlagAlias("rejected", 'r')]
    public string? RejectedFlag { get; set; }
}

[Description("Imports deal history through the same rules as the API, in batches; running it again appends nothing", Name = "import")]
public sealed class ImportCommand : FunnelCommand<ImportInput>
{
    private const string StageHistory = "stage-history", CrmSample = "crm-sample";

    protected override string? Mistake(ImportInput input)
    {
        var source = CommandPaths.Resolve(input.Source);
        return input.Layout switch
        {
            StageHistory when !File.Exists(source) => $"There is no file {source}.",
            StageHistory when input.PipelineFlag is null => "import stage-history needs --pipeline ID: the pipeline the deals belong to.",
            StageHistory when !Identifiers.IsValid(input.PipelineFlag) => $"--pipeline: {Identifiers.Rule}",
            CrmSample when !Directory.Exists(source) => $"There is no folder {source} (crm-sample reads the data set's folder).",
            StageHistory or CrmSample => null,
            _ => $"The layout is {StageHistory} or {CrmSample}, not '{input.Layout}'.",
        };
    }

    protected override async Task<ExitCode> RunAsync(ImportInput input)
    {
        input.Source = CommandPaths.Resolve(input.Source);
        using var host = input.BuildHost();
        await input.EnsureTenantExistsAsync(host);

        var store = host.Services.GetRequiredService<IDocumentStore>();
        var importer = new DealImporter(store, TimeProvider.System, input.TenantFlag);
        var (pipelineId, deals, unreadable) = input.Layout == StageHistory
            ? await ReadStageHistoryAsync(store, input)
            : await CrmSampleAsync(store, input.TenantFlag, input.Source);

        var summary = await importer.ImportAsync(pipelineId, deals, unreadable, ConsoleImportProgress.ForConsole(), CancellationToken.None);
        Console.WriteLine(summary);
        if (summary.Rejected.Count == 0)
        {
            return ExitCode.Done;
        }

        var source = input.Source.TrimEnd('/');
        var rejectedFile = CommandPaths.Resolve(input.RejectedFlag ?? Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileNameWithoutExtension(source) + ".rejected.csv"));
        await RejectedRows.WriteAsync(rejectedFile, summary.Rejected);
        Console.WriteLine($"rejected rows written to {rejectedFile}");
        return ExitCode.DoneWithRefusals;
    }

    private static async Task<(string, List<IGrouping<string, Domain.Importing.HistoryRow>>, List<RejectedRow>)> ReadStageHistoryAsync(IDocumentStore store, ImportInput input)
    {
        var (source, pipelineId) = (input.Source, input.PipelineFlag!);
        (List<IGrouping<string, Domain.Importing.HistoryRow>> Deals, List<RejectedRow> Unreadable) read;
        using (var reader = new StreamReader(source))
        {
            try
            {
                read = StageHistoryFile.Read(reader);
            }
            catch (Exception e) when (e is CsvFormatException or InvalidDataException)
            {
                throw new CommandMistake($"{source}: {e.Message} Nothing was imported.");
            }
        }

        await input.EnsurePipelineExistsAsync(store, pipelineId);
        return (pipelineId, read.Deals, read.Unreadable);
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
