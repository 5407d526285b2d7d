using System.Text.Json;
using Funnel.Domain.Deals;
using Funnel.Projections;
using Microsoft.Extensions.Options;
using Wolverine;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Funnel.Host.Deals.Batches;

/// <summary>
/// A batch as a Wolverine message on the durable queue (funnel-commands): each command the JSON object the HTTP batch
/// takes ({"type": "stage", "dealId": ..., ...}). Its answer is the HTTP batch's: refused commands are answered in it,
/// not dead-lettered, since the others went on.
/// </summary>
public sealed record DealCommandBatch(IReadOnlyList<JsonElement> Commands)
{
    private static readonly IReadOnlyDictionary<Type, string> TypeNames =
        DealCommandRoutes.BySegment.ToDictionary(s => s.Value, s => s.Key).Append(new(typeof(CaptureDeal), BatchItems.CaptureType)).ToDictionary();

    /// <summary>A batch of typed commands (<see cref="CaptureDeal"/>, <see cref="ChangeStage"/>, ...), each written with its type.</summary>
    public static DealCommandBatch Of(JsonSerializerOptions options, params object[] commands) => new([.. commands.Select(c =>
    {
        var element = JsonSerializer.SerializeToNode(c, c.GetType(), options)!.AsObject();
        element["type"] = TypeNames[c.GetType()];
        return JsonSerializer.SerializeToElement(element);
    })]);
}

public static class DealCommandBatchHandler
{
    /// <summary>The message's key is checked as for one command; the batch runs in the message's tenant.</summary>
    public static async Task<BatchAnswer> Handle(
        DealCommandBatch batch, DealBatchRunner runner, MessageAccess access, IOptions<JsonOptions> json, Envelope envelope, CancellationToken ct)
    {
        var key = await access.CheckAsync(envelope, Scopes.CommandsWrite, ct);
        if (DealBatch.CheckSize(batch.Commands.Count, "commands") is { } refusal)
        {
            throw new DealCommandRejectedException("", refusal);
        }

        var items = batch.Commands.Select(c => BatchItems.Read(c, json.Value.SerializerOptions)).ToList();
        var caller = CommandCaller.OfMessage(key, envelope);
        return await runner.RunAsync(items, TenantStorage.FromMarten(envelope.TenantId), caller, ct);
    }
}
