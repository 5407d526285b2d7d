using System.Data.Common;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Funnel.Projections;

/// <summary>
/// The store's events by tenant in the store's order: an index Marten does not keep on its event table (it is told to
/// leave it be). With it a report's freshness finds the tenant's newest event and what its read models lack without
/// reading another tenant's events or counting the history. A feature of the store of its own, so that it is created
/// after the event table.
/// </summary>
public sealed class TenantEventsIndex(Migrator migrator) : FeatureSchemaBase(Name, migrator)
{
    public const string Name = "idx_mt_events_tenant_seq";

    public override Type StorageType => typeof(TenantEventsIndex);

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new Index();
    }

    private sealed class Index : ISchemaObject
    {
        public DbObjectName Identifier { get; } = new PostgresqlObjectName(StoreTables.Schema, Name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
            writer.WriteLine($"CREATE INDEX IF NOT EXISTS {Name} ON {StoreTables.Events} (tenant_id, seq_id);");

        public void WriteDropStatement(Migrator rules, TextWriter writer) =>
            writer.WriteLine($"DROP INDEX IF EXISTS {StoreTables.Schema}.{Name};");

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append($"select count(*) from pg_indexes where schemaname = '{StoreTables.Schema}' and indexname = '{Name}';");

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
        {
            var exists = await reader.ReadAsync(ct) && reader.GetInt64(0) > 0;
            return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames()
        {
            yield return Identifier;
        }
    }
}
