using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using Funnel.Host.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Npgsql;
using Snapshooter.Xunit;

namespace Funnel.Host.Tests.Contracts;

/// <summary>
/// Stored events are a contract: their type names and JSON, as Marten writes them, are pinned by a snapshot,
/// so a rename that would strand the events already stored fails here first.
/// </summary>
[Collection(FunnelAppCollection.Name)]
public sealed class EventContractTests(FunnelApp app)
{
    private static readonly DateTimeOffset At = new(2026, 4, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task stored_event_names_and_json_are_unchanged()
    {
        object[] samples =
        [
            new PipelineDefined("sales", "Sales", [new StageDefinition("validate", "Validate", 0.1m), new StageDefinition("close", "Close", 0.8m, 45m)], At),
            new PipelineRedefined("sales", "Sales", [new StageDefinition("validate", "Validate", 0.2m)], At),
            new DealCaptured("D-1", "sales", "Acme", "ann", "east", "emea", "gtx", "Acme Corp", 1000.50m, "USD", new DateOnly(2026, 6, 30), ["renewal"], "validate", At),
            new DealStageChanged("D-1", "validate", "close", false, At),
            new QuoteSent("D-1", "Q-1", 1200m, 1000.50m, At),
            new DealAmountChanged("D-1", 1100m, 1200m, At),
            new DealOwnerReassigned("D-1", "bob", "west", "apac", "ann", At),
            new DealExpectedCloseDateChanged("D-1", new DateOnly(2026, 7, 31), At),
            new DealWon("D-1", "close", 1100m, At),
            new DealLost("D-1", "close", "price", At),
            new DealReopened("D-1", "close", DealStatus.Lost, At),
            new ActivityLogged("A-1", "ann", "meeting", "D-1", "sales", "east", "Acme Corp", 45, "next step agreed", "met the buyer", At),
        ];
        Assert.Equal(DealEvents.OnStream.Count + PipelineEvents.All.Count, samples.Length);

        await using (var session = app.Store.LightweightSession())
        {
            session.Events.StartStream("contract-pipeline", samples.Where(e => PipelineEvents.All.Contains(e.GetType())));
            session.Events.StartStream("contract-deal", samples.Where(e => DealEvents.OnStream.Contains(e.GetType())));
            await session.SaveChangesAsync();
        }

        // Read back what PostgreSQL holds, not what the serializer would write: that is the contract.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select type, data::text from funnel.mt_events where stream_id in ('contract-pipeline', 'contract-deal') order by seq_id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var contract = new JObject();
        while (await reader.ReadAsync())
        {
            contract[reader.GetString(0)] = JObject.Parse(reader.GetString(1));
        }

        Assert.Equal(samples.Length, contract.Count);
        Snapshot.Match(contract);
    }
}
