using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace Funnel.Host.Storage;

/// <summary>
/// Who may enter the private PostgreSQL, kept in the data directory (readable by the service's account alone, like the
/// data): the superuser's and the service role's generated passwords. The service runs as a role that owns its database
/// and nothing else, never as a superuser.
/// </summary>
public sealed record PrivateStoreCredentials(string AdminUser, string AdminPassword, string ServiceUser, string ServicePassword, string Database)
{
    public const string FileName = "funnel-credentials.json";
    public const string ServiceRole = "funnel_service";

    /// <summary>The superuser a fresh store is created with (the operator's way in, see the README).</summary>
    public const string FreshAdmin = "postgres";

    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static PrivateStoreCredentials? Read(string dataDirectory) =>
        File.Exists(PathIn(dataDirectory)) ? JsonSerializer.Deserialize<PrivateStoreCredentials>(File.ReadAllText(PathIn(dataDirectory))) : null;

    public void Write(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(this));
        OwnerOnly(path);
    }

    /// <summary>Readable and writable by the file's owner alone (the private server runs on Unix only).</summary>
    public static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

/// <summary>Makes the private store closed: password (SCRAM) authentication, and a service role that is not a superuser.</summary>
internal static class PrivateStoreAccess
{
    /// <summary>
    /// Brings the running server to the closed layout, idempotently, on every start: the service role with its password and
    /// its database. A store made before this (trust authentication, the service as its superuser 'funnel', data in the
    /// 'postgres' database) is converted in place: its objects pass to the service role, and trust gives way to passwords.
    /// </summary>
    public static async Task<PrivateStoreCredentials> EnsureAsync(PrivatePostgres server, string? freshAdminPassword)
    {
        var credentials = PrivateStoreCredentials.Read(server.DataDirectory);
        if (credentials is null)
        {
            // Written before anything is changed, so a start cut short finds the same passwords the next time.
            credentials = freshAdminPassword is not null
                ? new PrivateStoreCredentials(PrivateStoreCredentials.FreshAdmin, freshAdminPassword, PrivateStoreCredentials.ServiceRole, PrivateStoreCredentials.NewPassword(), "funnel")
                : new PrivateStoreCredentials("funnel", PrivateStoreCredentials.NewPassword(), PrivateStoreCredentials.ServiceRole, PrivateStoreCredentials.NewPassword(), "postgres");
            credentials.Write(server.DataDirectory);
        }

        await using (var admin = new NpgsqlConnection(server.AdminConnectionString(credentials, "postgres")))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"""
                alter role "{credentials.AdminUser}" password '{credentials.AdminPassword}';
                do $$ begin
                  if not exists (select from pg_roles where rolname = '{credentials.ServiceUser}') then
                    create role "{credentials.ServiceUser}" login nosuperuser nocreatedb nocreaterole;
                  end if;
                end $$;
                alter role "{credentials.ServiceUser}" password '{credentials.ServicePassword}';
                """);
            if (await admin.ScalarAsync($"select 1 from pg_database where datname = '{credentials.Database}'") is null)
            {
                await admin.ExecuteAsync($"""create database "{credentials.Database}" owner "{credentials.ServiceUser}" """);
            }
        }

        if (credentials.Database == "postgres")
        {
            await HandOverLegacyObjectsAsync(server, credentials);
        }

        await RequirePasswordsAsync(server, credentials);
        return credentials;
    }

    /// <summary>A store from before: the service role takes over the schemas and everything in them the old superuser made.</summary>
    private static async Task HandOverLegacyObjectsAsync(PrivatePostgres server, PrivateStoreCredentials credentials)
    {
        await using var admin = new NpgsqlConnection(server.AdminConnectionString(credentials, credentials.Database));
        await admin.OpenAsync();
        await admin.ExecuteAsync($$"""
            grant connect, create on database "{{credentials.Database}}" to "{{credentials.ServiceUser}}";
            do $$
            declare o record;
            begin
              for o in select n.nspname from pg_namespace n join pg_roles r on r.oid = n.nspowner
                       where r.rolname = '{{credentials.AdminUser}}' and n.nspname not like 'pg\_%' and n.nspname not in ('information_schema', 'public') loop
                execute format('alter schema %I owner to %I', o.nspname, '{{credentials.ServiceUser}}');
              end loop;
              for o in select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.oid = c.relowner
                       where r.rolname = '{{credentials.AdminUser}}' and c.relkind in ('r', 'p', 'v', 'm', 'S') and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
                         -- a column's own sequence follows its table
                         and not exists (select from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i') and c.relkind = 'S') loop
                execute format('alter %s %I.%I owner to %I', case o.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end,
                               o.nspname, o.relname, '{{credentials.ServiceUser}}');
              end loop;
              for o in select p.oid::regprocedure as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
                       where r.rolname = '{{credentials.AdminUser}}' and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' loop
                execute format('alter routine %s owner to %I', o.fn, '{{credentials.ServiceUser}}');
              end loop;
            end $$;
            """);
    }

    /// <summary>Replaces trust with SCRAM in pg_hba.conf (a store from before, or an initdb left at trust) and reloads.</summary>
    private static async Task RequirePasswordsAsync(PrivatePostgres server, PrivateStoreCredentials credentials)
    {
        var hba = Path.Combine(server.DataDirectory, "pg_hba.conf");
        var lines = await File.ReadAllLinesAsync(hba);
        if (!lines.Any(IsTrust))
        {
            return;
        }

        await File.WriteAllLinesAsync(hba, lines.Select(l => IsTrust(l) ? l.Replace("trust", "scram-sha-256", StringComparison.Ordinal) : l));
        await using var admin = new NpgsqlConnection(server.AdminConnectionString(credentials, "postgres"));
        await admin.OpenAsync();
        await admin.ExecuteAsync("select pg_reload_conf()");

        static bool IsTrust(string line) => !line.TrimStart().StartsWith('#') && line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is [.., "trust"];
    }
}

/// <summary>One statement on an open connection, for the store's own setup (and the tests that check it).</summary>
internal static class NpgsqlStatements
{
    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
