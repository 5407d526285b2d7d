using Marten;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Rows a batch writes by COPY: into a staging table with <paramref name="Fields"/>, then into the read model by
/// <paramref name="InsertFrom"/> (given the staging table), where the insert works out columns of its own; else
/// (<see cref="Straight"/>) straight into the read model.
/// </summary>
internal sealed record CopiedRows(string Name, string Fields, Func<string, string>? InsertFrom, string? Table = null)
{
    /// <summary>Rows copied straight into <paramref name="table"/>, every column as the row gives it.</summary>
    public static CopiedRows Straight(Weasel.Postgresql.Tables.Table table) =>
        new(table.Identifier.Name, TimelineRows.Fields(table), null, table.Identifier.QualifiedName);
}

/// <summary>
/// While the counters are left to a recount (a catch-up, a rebuild), the rows a batch begins are new and counted by
/// nothing, and so are the current row, stage facts and state of a deal the batch began: they are written by COPY (into
/// staging tables and inserted from there where the insert works out a column), instead of as jsonb upserts, which
/// PostgreSQL parsed row by row (a state twice) and checked for conflicts. It runs in the
/// batch's transaction after its statements (which change rows of earlier batches first, as when the rows were upserted
/// at the batch's end), then what must follow them.
/// </summary>
internal sealed class BatchCopy : ITransactionParticipant
{
    private readonly List<(CopiedRows Into, IReadOnlyList<object> Rows)> copies = [];

    private readonly List<(string Statement, object Parameter)> then = [];

    /// <summary>A participant in the transaction of <paramref name="operations"/>; null when they take none (then the batch upserts).</summary>
    public static BatchCopy? For(IDocumentOperations operations)
    {
        if (operations is not ITransactionParticipantRegistrar transaction)
        {
            return null;
        }

        var copy = new BatchCopy();
        transaction.AddTransactionParticipant(copy);
        return copy;
    }

    public void Add<T>(CopiedRows into, IEnumerable<T> rows)
        where T : notnull
    {
        var list = rows.Cast<object>().ToList();
        if (list.Count > 0)
        {
            copies.Add((into, list));
        }
    }

    /// <summary>A statement run after the copies, its parameter $1.</summary>
    public void Then(string statement, object parameter) => then.Add((statement, parameter));

    public async Task BeforeCommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken token)
    {
        foreach (var (into, rows) in copies)
        {
            if (into.InsertFrom is null)
            {
                await RowCopy.CopyAsync(connection, into.Table!, into.Fields, rows, token);
                continue;
            }

            var staging = $"copied_{into.Name}";
            await ExecuteAsync($"create temporary table {staging} ({into.Fields}) on commit drop", null);
            await RowCopy.CopyAsync(connection, staging, into.Fields, rows, token);
            await ExecuteAsync(into.InsertFrom(staging), null);
        }

        foreach (var (statement, parameter) in then)
        {
            await ExecuteAsync(statement, parameter);
        }

        async Task ExecuteAsync(string statement, object? parameter)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            if (parameter is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            await command.ExecuteNonQueryAsync(token);
        }
    }
}
