using Funnel.Host.Importing;
using Funnel.Host.Tests.Crm;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Importing;

[CollectionDefinition(Name)]
public sealed class CrmImportCollection : ICollectionFixture<FunnelApp>
{
    public const string Name = "crm import";
}

[Collection(CrmImportCollection.Name)]
public sealed class CrmSampleImportTests(FunnelApp app)
{
    [Fact]
    public async Task importing_twice_gives_the_store_importing_once_gives_and_the_reports_match_the_csv()
    {
        var rows = CrmSample.Opportunities();
        var closed = rows.Count(r => r.CloseDate is not null);

        var first = await ImportAsync();
        var events = await app.CountEventsAsync();
        var second = await ImportAsync();

        // One capture per opportunity and one win or loss per closed one, plus the pipeline's definition.
        Assert.Equal(rows.Count + closed, first.EventsAppended);
        Assert.Empty(first.Rejected);
        Assert.Equal(0, second.EventsAppended);
        Assert.Equal(rows.Count + closed, second.RowsSkipped);
        Assert.Equal(events, await app.CountEventsAsync());
        Assert.Equal(rows.Count + closed + 1, events);

        await app.CatchUpAsync();
        var engaged = rows.Count(r => r.EngageDate is not null);
        var won = rows.Count(r => r.Stage == "Won");
        var engaging = (await app.GetJsonAsync("/api/funnel/crm/conversion")).GetProperty("stages")[1];
        Assert.Equal((engaged, won), (engaging.GetProperty("entered").GetInt32(), engaging.GetProperty("won").GetInt32()));
        Assert.Equal(Math.Round((decimal)won / engaged, 6), engaging.GetProperty("winRate").GetDecimal());

        // The Prospecting deals, captured on the data set's last day, are the open prospecting stage at its end.
        var snapshot = await app.GetJsonAsync("/api/funnel/crm/snapshot?asOf=2017-12-31T12:00:00Z");
        Assert.Equal(rows.Count(r => r.Stage == "Prospecting"), snapshot.GetProperty("stages")[0].GetProperty("count").GetInt32());
        Assert.Equal(rows.Count(r => r.Stage == "Engaging"), snapshot.GetProperty("stages")[1].GetProperty("count").GetInt32());
        Assert.Equal(rows.Where(r => r.Stage == "Won").Sum(r => r.CloseValue!.Value), snapshot.GetProperty("won").GetProperty("amount").GetDecimal());
    }

    private async Task<ImportSummary> ImportAsync()
    {
        var reading = CrmSampleFiles.Read(CrmSample.Directory);
        await app.PutPipelineAsync(CrmSampleFiles.PipelineId, [.. CrmSampleFiles.Stages.Select(s => (s.Id, s.Probability))]);
        return await new DealImporter(app.Store, TimeProvider.System).ImportAsync(
            CrmSampleFiles.PipelineId, reading.Deals, reading.Unreadable, new ConsoleImportProgress(TextWriter.Null, false), CancellationToken.None);
    }
}
