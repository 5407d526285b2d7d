using Funnel.Projections.Timeline;
using Marten;
using Npgsql;

namespace Funnel.Host.Internal;

/// <summary>
/// Marten's rebuild first empties a projection's tables with <c>delete from</c>, one statement each in a batch that
/// times out at 30 s: on a store of a million deals (tens of millions of rows) it fails there, and would take minutes
/// if it did not; and it fails on a table a newer version added (its deletes run before the projection creates it). So
/// `projections rebuild` brings the store's tables up to this version, then truncates the timeline tables of the
/// projections it rebuilds; Marten's deletes find them empty.
/// </summary>
internal static class RebuildFromEmpty
{
    public static async Task EmptyTablesAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || args[0] != "projections" || !args.Contains("rebuild", StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var flag = Array.FindIndex(args, a => a is "--projection" or "-p");
        var store = (DocumentStore)app.Services.GetRequiredService<IDocumentStore>();
        var rebuilt = store.Options.Projections.All.OfType<TimelineProjection>().Where(p => flag < 0 || flag + 1 >= args.Length || p.Name == args[flag + 1]);
        var tables = rebuilt.SelectMany(p => p.Tables.All).Select(t => t.Identifier.QualifiedName).ToList();
        if (tables.Count == 0)
        {
            return;
        }

        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand($"truncate {string.Join(", ", tables)}", connection);
        await truncate.ExecuteNonQueryAsync();
    }
}
