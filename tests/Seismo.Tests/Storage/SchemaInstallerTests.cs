using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Orleans.Configuration;
using Orleans.Storage;
using Seismo.Grains.Hosting;
using Seismo.Tests.Support;

namespace Seismo.Tests.Storage;

public static class SchemaContract
{
    /// <summary>Every OrleansQuery key our scripts install.</summary>
    public static readonly string[] QueryKeys =
    [
        // clustering
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
        "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
        // grain storage
        "ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey",
        // reminders
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "ReadReminderRowKey", "ReadReminderRowsKey", "UpsertReminderRowKey",
    ];

    public static async Task<string[]> InstalledKeysAsync(StorageBackend db) =>
        (await db.QueryAsync("SELECT QueryKey FROM OrleansQuery")).Select(r => (string)r[0]!).Order().ToArray();

    /// <summary>Tables, an index and a row from an extra script, to prove re-runs keep data.</summary>
    public const string ExtraSql = """
        CREATE TABLE IF NOT EXISTS SeismoProbe (Id integer PRIMARY KEY, Note text NOT NULL);
        CREATE INDEX IF NOT EXISTS IX_SeismoProbe_Note ON SeismoProbe (Note);
        """;

    public static async Task AssertInstalledAndDataKeptAsync(StorageBackend db)
    {
        Assert.Equal(QueryKeys.Order(), await InstalledKeysAsync(db));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM SeismoProbe WHERE Note = 'kept'"));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM OrleansMembershipVersion WHERE DeploymentId = 'kept'"));
    }

    public static async Task InstallTwiceKeepingDataAsync(StorageBackend db)
    {
        await db.ApplySchemaAsync([ExtraSql]);
        await db.QueryAsync("INSERT INTO SeismoProbe (Id, Note) VALUES (1, 'kept')");
        await db.QueryAsync("INSERT INTO OrleansMembershipVersion (DeploymentId) VALUES ('kept')");
        await db.ApplySchemaAsync([ExtraSql]);
        await AssertInstalledAndDataKeptAsync(db);
    }
}

public sealed class SchemaInstallerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("seismo-schema-").FullName;

    [Fact]
    public void Orleans_reads_no_query_key_that_we_do_not_install()
    {
        var required = StoredQueryProperties(typeof(AdoNetClusteringSiloOptions).Assembly)
            .Concat(StoredQueryProperties(typeof(AdoNetReminderTableOptions).Assembly))
            .Concat(Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, @"'(\w+)'").Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Equal(20, required.Count);
        Assert.Subset(SchemaContract.QueryKeys.ToHashSet(), required);
    }

    [Fact]
    public async Task Sqlite_install_is_idempotent_keeps_data_and_enables_WAL()
    {
        var db = NewSqlite("idempotent");
        await SchemaContract.InstallTwiceKeepingDataAsync(db);
        Assert.Equal("wal", (string?)(await db.QueryAsync("PRAGMA journal_mode")).Single()[0]);
    }

    [Fact]
    public async Task Sqlite_installs_can_run_concurrently()
    {
        var db = NewSqlite("concurrent");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.ApplySchemaAsync([SchemaContract.ExtraSql]))));
        Assert.Equal(SchemaContract.QueryKeys.Order(), await SchemaContract.InstalledKeysAsync(db));
    }

    [Fact]
    public async Task Sqlite_failing_extra_script_rolls_back_the_whole_install()
    {
        var db = NewSqlite("rollback");
        await Assert.ThrowsAsync<SqliteException>(() => db.ApplySchemaAsync(["CREATE TABLE Broken (;"]));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM sqlite_master WHERE name = 'OrleansQuery'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private StorageBackend NewSqlite(string name) =>
        StorageBackend.Sqlite($"Data Source={Path.Combine(directory, name + ".db")}");

    private static IEnumerable<string> StoredQueryProperties(Assembly assembly) =>
        assembly.GetTypes()
            .Single(t => t.Name == "DbStoredQueries")
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaInstallerTests(PostgresFixture fixture)
{
    [PostgresFact]
    public async Task Postgres_install_is_idempotent_and_keeps_data()
    {
        var db = StorageBackend.Postgres(await fixture.Server.CreateDatabaseAsync("idempotent"));
        await SchemaContract.InstallTwiceKeepingDataAsync(db);
    }

    [PostgresFact]
    public async Task Postgres_installs_can_run_concurrently()
    {
        var db = StorageBackend.Postgres(await fixture.Server.CreateDatabaseAsync("concurrent"));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.ApplySchemaAsync([SchemaContract.ExtraSql]))));
        Assert.Equal(SchemaContract.QueryKeys.Order(), await SchemaContract.InstalledKeysAsync(db));
    }

    [PostgresFact]
    public async Task Postgres_script_runs_twice_under_psql_like_docker_initdb()
    {
        var db = StorageBackend.Postgres(await fixture.Server.CreateDatabaseAsync("psql"));
        var path = Path.Combine(Path.GetTempPath(), $"seismo-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(path, SchemaInstaller.PostgresScript);
        try
        {
            await fixture.Server.RunPsqlFileAsync("psql", path);
            await fixture.Server.RunPsqlFileAsync("psql", path);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(SchemaContract.QueryKeys.Order(), await SchemaContract.InstalledKeysAsync(db));
    }

    [PostgresFact]
    public async Task Cluster_schema_from_docker_initdb_then_silos_migrating_at_once_is_consistent()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("cluster_schema");
        var db = StorageBackend.Postgres(connectionString);
        // The compose file mounts both scripts into docker-entrypoint-initdb.d, which runs them with psql in name order.
        foreach (var script in new[] { SchemaInstaller.PostgresScript, SchemaInstaller.SeismoPostgresScript })
        {
            var path = Path.Combine(Path.GetTempPath(), $"seismo-{Guid.NewGuid():N}.sql");
            await File.WriteAllTextAsync(path, script);
            try { await fixture.Server.RunPsqlFileAsync("cluster_schema", path); }
            finally { File.Delete(path); }
        }
        await db.QueryAsync("INSERT INTO seismo_webhook_leases (webhook_id, holder, expires_at) VALUES (gen_random_uuid(), 'kept', now())");

        // Then several silos start together, each migrating first.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SeismoClusterHosting.MigrateAsync(connectionString, CancellationToken.None))));

        Assert.Equal(SchemaContract.QueryKeys.Order(), await SchemaContract.InstalledKeysAsync(db));
        Assert.Equal(1, await db.CountAsync("SELECT COUNT(*) FROM seismo_webhook_leases WHERE holder = 'kept'"));
        foreach (var table in new[] { "seismo_runs", "seismo_tests", "seismo_webhook_deliveries", "seismo_webhook_attempts" })
            Assert.Equal(0, await db.CountAsync($"SELECT COUNT(*) FROM {table}"));
    }
}
