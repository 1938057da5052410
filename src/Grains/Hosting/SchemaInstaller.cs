using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Seismo.Grains.Hosting;

/// <summary>
/// Creates or updates the tables and <c>OrleansQuery</c> rows that Orleans' ADO.NET
/// clustering, grain storage and reminder providers read. Every method is idempotent
/// and may run on each start-up, also from several processes at once.
/// </summary>
/// <remarks>
/// Orleans 10 maps <see cref="SqliteInvariant"/> to Microsoft.Data.Sqlite's factory
/// by itself, so no <c>DbProviderFactories</c> registration is needed.
/// </remarks>
public static class SchemaInstaller
{
    /// <summary>The Invariant to set on Orleans' ADO.NET options for SQLite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>The Invariant to set on Orleans' ADO.NET options for PostgreSQL.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>Advisory lock held while the PostgreSQL schema changes ("SEISMO" in ASCII).</summary>
    public const long PostgresLockKey = 0x5345_4953_4D4F;

    private const int BusyTimeoutMs = 30_000;

    /// <summary>The embedded SQLite script.</summary>
    public static string SqliteScript => ReadScript("sqlite.sql");

    /// <summary>The embedded PostgreSQL script; also usable as a docker-entrypoint-initdb.d file.</summary>
    public static string PostgresScript => ReadScript("postgresql.sql");

    /// <summary>Seismo's own cluster tables (run log, catalogue, webhook outbox); plain idempotent DDL.</summary>
    public static string SeismoPostgresScript => ReadScript("seismo-postgresql.sql");

    public static Task ApplySqliteAsync(string connectionString, CancellationToken ct) =>
        ApplySqliteAsync(connectionString, [], ct);

    /// <summary>
    /// Switches the database to WAL and applies the Orleans schema followed by
    /// <paramref name="extraSql"/>, all in one <c>BEGIN IMMEDIATE</c> transaction.
    /// </summary>
    public static async Task ApplySqliteAsync(string connectionString, IEnumerable<string> extraSql, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(extraSql);

        // Not pooled: the busy_timeout set here must not linger on a connection the store reuses later.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        // journal_mode is stored in the file and cannot change inside a transaction.
        await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA journal_mode = WAL;", ct);

        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var sql in extraSql.Prepend(SqliteScript))
        {
            await ExecuteAsync(connection, transaction, sql, ct);
        }
        await transaction.CommitAsync(ct);
    }

    public static Task ApplyPostgresAsync(string connectionString, CancellationToken ct) =>
        ApplyPostgresAsync(connectionString, [], ct);

    /// <summary>
    /// Applies the Orleans schema (which takes its own transaction and advisory lock),
    /// then <paramref name="extraSql"/> in a second transaction under the same lock.
    /// </summary>
    public static async Task ApplyPostgresAsync(string connectionString, IEnumerable<string> extraSql, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(extraSql);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, null, PostgresScript, ct);

        var extras = extraSql.ToList();
        if (extras.Count == 0) return;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresLockKey});", ct);
        foreach (var sql in extras)
        {
            await ExecuteAsync(connection, transaction, sql, ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = BusyTimeoutMs / 1000;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string ReadScript(string fileName)
    {
        var name = $"Seismo.Grains.Hosting.Schema.{fileName}";
        using var stream = typeof(SchemaInstaller).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded schema script '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
