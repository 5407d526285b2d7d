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

    [Fact]
    public async Task later_rows_of_a_deal_already_imported_are_appended_after_its_events()
    {
        await ImportAsync();

        var later = await ImportAsync("""
            deal_id,occurred_at,stage,amount,owner,team,region,product,account,outcome,reason
            H-2,2026-02-20,close,,,,,,,,
            H-2,2026-02-21,,2000,,,,,,,
            """);

        // H-2 ended the first file reopened into develop at version 4: a move to close (5) and a new amount (6).
        Assert.Equal((2, 0, 0), (later.EventsAppended, later.RowsSkipped, later.Rejected.Count));
        Assert.Equal([typeof(DealStageChanged), typeof(DealAmountChanged)], (await app.EventsOfAsync("H-2")).Skip(4).Select(e => e.GetType()));
        var deal = await app.GetJsonAsync("/api/deals/H-2");
        Assert.Equal((6, "close", 2000m), (deal.GetProperty("version").GetInt32(), deal.GetProperty("stage").GetString(), deal.GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task a_deal_whose_events_landed_without_its_document_is_completed_by_the_next_run()
    {
        await ImportAsync();
        var events = await app.CountEventsAsync();

        // What a run stopped between the bulk write of the events and that of the documents leaves.
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new Npgsql.NpgsqlCommand("delete from funnel.mt_doc_deal where id = 'H-1'", connection);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var again = await ImportAsync();

        Assert.Equal((0, 12), (again.EventsAppended, again.RowsSkipped));
        Assert.Equal(events, await app.CountEventsAsync());
        var deal = await app.GetJsonAsync("/api/deals/H-1");
        Assert.Equal((6, "won", 1500m, "bob"), (deal.GetProperty("version").GetInt32(), deal.GetProperty("status").GetString(), deal.GetProperty("amount").GetDecimal(), deal.GetProperty("owner").GetString()));
    }

    private Task<ImportSummary> ImportAsync(string file = File)
    {
        var (deals, unreadable) = StageHistoryFile.Read(new StringReader(file));
        return new DealImporter(app.Store, TimeProvider.System).ImportAsync("sales", deals, unreadable, new ConsoleImportProgress(TextWriter.Null, false), CancellationToken.None);
    }
}
