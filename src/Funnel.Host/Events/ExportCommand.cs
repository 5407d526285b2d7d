using Funnel.Host.Importing;
using Funnel.Host.Tenancy;
using Funnel.Host.CommandLine;
using JasperFx.CommandLine;

namespace Funnel.Host.Events;

public sealed class ExportInput : TenantInput
{
    [Description("ndjson (one event per line, as GET /api/events) or csv"), FlagAlias("format", 'f')]
    public string FormatFlag { get; set; } = "ndjson";

    [Description("The file to write"), FlagAlias("out", 'o')]
    public string OutFlag { get; set; } = "";

    [Description("Only this pipeline's events (its definitions and its deals'); all events when omitted"), FlagAlias("pipeline", 'p')]
    public string? PipelineFlag { get; set; }
}

[Description("Writes the raw events, in the store's order, to a file", Name = "export")]
public sealed class ExportCommand : FunnelCommand<ExportInput>
{
    protected override string? Mistake(ExportInput input) =>
        input.OutFlag.Length == 0 ? "export needs --out FILE."
        : input.FormatFlag is not ("ndjson" or "csv") ? $"--format is ndjson or csv, not '{input.FormatFlag}'."
        : input.PipelineFlag is { } pipeline && !Identifiers.IsValid(pipeline) ? $"--pipeline: {Identifiers.Rule}"
        : Path.GetDirectoryName(CommandPaths.Resolve(input.OutFlag)) is var folder && Directory.Exists(folder) ? null
        : $"--out: there is no folder {folder}.";

    protected override async Task<ExitCode> RunAsync(ExportInput input)
    {
        var path = CommandPaths.Resolve(input.OutFlag);
        using var host = input.BuildHost();
        await input.EnsureTenantExistsAsync(host);

        // The service applies the schema when it starts; a command on a store it never ran against does it here.
        var store = host.Services.GetRequiredService<Marten.IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (input.PipelineFlag is { } pipelineId)
        {
            await input.EnsurePipelineExistsAsync(store, pipelineId);
        }
        var export = host.Services.GetRequiredService<EventExport>();
        await using var file = File.Create(path);
        if (input.FormatFlag == "csv")
        {
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(EventExport.CsvHeader + "\n"));
        }

        // Page by position, so a large store never sits in one result.
        var (total, after) = (0L, 0L);
        while (true)
        {
            var (count, last) = input.FormatFlag == "csv"
                ? await export.WriteCsvAsync(file, input.TenantFlag, input.PipelineFlag, after, EventExport.MaxLimit, CancellationToken.None)
                : await export.WriteNdjsonAsync(file, input.TenantFlag, input.PipelineFlag, after, EventExport.MaxLimit, CancellationToken.None);
            total += count;
            after = last;
            if (count < EventExport.MaxLimit)
            {
                break;
            }

            Console.WriteLine($"export: {total:N0} events so far");
        }

        Console.WriteLine($"exported {total:N0} events of tenant {input.TenantFlag} to {path}");
        return ExitCode.Done;
    }
}
