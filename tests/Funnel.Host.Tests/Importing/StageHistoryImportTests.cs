using Funnel.Domain.Deals;
using Funnel.Host.Importing;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Importing;

[Collection(FunnelAppCollection.Name)]
public sealed class StageHistoryImportTests(FunnelApp app) : IAsyncLifetime
{
    // Line numbers count the header as line 1.
    private const string File = """
        deal_id,occurred_at,stage,amount,owner,team,region,product,account,outcome,reason
        H-1,2026-01-05,validate,1000,ann,east,emea,gtx,Acme,,
        H-1,2026-01-08,develop,1200,,,,,,,
        H-1,2026-01-12,propose,,bob,west,,,,,
        H-1,2026-01-20,,1500,,,,,,won,
        H-2,2026-02-01,validate,500,cid,,,,"Globex, Inc.",,
        H-2,2026-02-03,qualify,,,,,,,,
        H-2,not-a-date,develop,,,,,,,,
        H-2,2026-02-05,develop,-5,,,,,,,
        H-2,2026-02-06,develop,,,,,,,,
        H-2,2026-02-04,propose,,,,,,,,
        H-2,2026-02-10,,,,,,,,lost,price
        H-2,2026-02-11,propose,,,,,,,,
        H-2,2026-02-12,develop,,,,,,,reopened,
        """;

    private static readonly DateTimeOffset Jan = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task bad_rows_are_rejected_with_their_reason_and_good_rows_land()
    {
        var summary = await ImportAsync();

        Assert.Equal(
            [
                (7, "stage", "unknown-stage"),
                (8, "occurred_at", "instant"),
                (9, "amount", "non-negative"),
                (11, "occurredAt", "occurred-at-order"),
                (13, "status", "deal-closed"),
            ],
            summary.Rejected.Select(r => (r.Line, r.Field, r.Rule)));
        Assert.Equal((13, 2, 0), (summary.RowsRead, summary.Deals, summary.RowsSkipped));

        var h1 = await app.EventsOfAsync("H-1");
        Assert.Equal(
            [
                new DealCaptured("H-1", "sales", "Acme", "ann", "east", "emea", "gtx", "Acme", 1000m, "USD", null, ((DealCaptured)h1[0]).Tags, "validate", Jan.AddDays(4)),
                new DealStageChanged("H-1", "validate", "develop", false, Jan.AddDays(7)),
                new DealAmountChanged("H-1", 1200m, 1000m, Jan.AddDays(7)),
                new DealStageChanged("H-1", "develop", "propose", false, Jan.AddDays(11)),
                new DealOwnerReassigned("H-1", "bob", "west", "emea", "ann", Jan.AddDays(11)),
                new DealWon("H-1", "propose", 1500m, Jan.AddDays(19)),
            ],
            h1);
        Assert.Equal(
            [typeof(DealCaptured), typeof(DealStageChanged), typeof(DealLost), typeof(DealReopened)],
            (await app.EventsOfAsync("H-2")).Select(e => e.GetType()));
        Assert.Equal("Globex, Inc.", ((DealCaptured)(await app.EventsOfAsync("H-2"))[0]).Account);
        Assert.Equal(summary.EventsAppended, (await app.EventsOfAsync("H-1")).Count + (await app.EventsOfAsync("H-2")).Count);
    }

    [Fact]
    public async Task importing_again_appends_nothing()
    {
        var first = await ImportAsync();
        var events = await app.CountEventsAsync();

        var second = await ImportAsync();

        Assert.Equal(10, first.EventsAppended);
        Assert.Equal(0, second.EventsAppended);
        Assert.Equal(events, await app.CountEventsAsync());
        Assert.Equal(12, second.RowsSkipped); // every row of the two deals but the unreadable date
    }

    private Task<ImportSummary> ImportAsync()
    {
        var (deals, unreadable) = StageHistoryFile.Read(new StringReader(File));
        return new DealImporter(app.Store, TimeProvider.System).ImportAsync("sales", deals, unreadable, new ConsoleImportProgress(TextWriter.Null, false), CancellationToken.None);
    }
}
