using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Seismo.Grains.Storage;

/// <summary>
/// The run log on PostgreSQL, shared by every silo of a cluster: same contract as <see cref="SqliteRunStore"/>. The
/// tables come from the cluster schema (seismo-postgresql.sql), applied before any silo starts.
/// </summary>
public sealed class PostgresRunStore(string connectionString) : IRunStore, IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public Task InitializeAsync(CancellationToken ct = default) =>
        Hosting.SchemaInstaller.ApplyPostgresAsync(connectionString, [Hosting.SchemaInstaller.SeismoPostgresScript], ct);

    public async Task AppendAsync(IReadOnlyList<RunAppend> runs, CancellationToken ct = default)
    {
        var encoded = runs.Select(r => (r.Run, Summary: RunCodec.EncodeSummary(r.Run), Results: RunCodec.EncodeResults(r.Results), r.NewTests, r.Archive)).ToArray();
        await GuardAsync(async () =>
        {
            await using var connection = await _source.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var batch = new NpgsqlBatch(connection, tx);
            await using (batch)
            {
                foreach (var (run, summary, results, newTests, archive) in encoded)
                {
                    var m = run.Metadata;
                    batch.BatchCommands.Add(Command("""
                        INSERT INTO seismo_runs (run_guid, project_id, seq, status, branch, created_at, summary, results)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        """, m.RunGuid, m.ProjectId, run.Sequence, run.Status, (object?)m.Ci.Branch ?? DBNull.Value, m.CreatedAt.ToUniversalTime(),
                        summary, results));
                    if (archive is not null)
                        batch.BatchCommands.Add(Command("INSERT INTO seismo_archives (run_guid, project_id, content) VALUES ($1, $2, $3)", m.RunGuid, m.ProjectId, archive));
                    foreach (var e in newTests)
                    {
                        batch.BatchCommands.Add(Command("""
                            INSERT INTO seismo_tests (project_id, key_hash, test_key, title, full_title, file_path, first_seen)
                            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                            """, m.ProjectId, e.KeyHash, e.Key, e.Title, (object?)e.FullTitle ?? DBNull.Value, (object?)e.FilePath ?? DBNull.Value,
                            e.FirstSeen.ToUniversalTime()));
                    }
                }
                await batch.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return true;
        });
    }

    public Task<StoredRun?> GetAsync(Guid runGuid, CancellationToken ct = default) =>
        SingleRunAsync("SELECT summary, results FROM seismo_runs WHERE run_guid = $1", ct, runGuid);

    public Task<StoredRun?> GetBySequenceAsync(Guid projectId, long sequence, CancellationToken ct = default) =>
        SingleRunAsync("SELECT summary, results FROM seismo_runs WHERE project_id = $1 AND seq = $2", ct, projectId, sequence);

    public Task<byte[]?> ReadArchiveAsync(Guid runGuid, CancellationToken ct = default) => GuardAsync(async () =>
    {
        await using var command = _source.CreateCommand("SELECT content FROM seismo_archives WHERE run_guid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runGuid });
        return await command.ExecuteScalarAsync(ct) as byte[];
    });

    public Task<RunSummary?> GetSummaryAsync(Guid runGuid, CancellationToken ct = default) => GuardAsync(async () =>
    {
        await using var command = _source.CreateCommand("SELECT summary FROM seismo_runs WHERE run_guid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runGuid });
        return await command.ExecuteScalarAsync(ct) is byte[] summary ? RunCodec.DecodeSummary(summary) : null;
    });

    public Task<IReadOnlyList<RunSummary>> ListAsync(Guid projectId, string? status, string? branch, int limit, int offset, CancellationToken ct = default) =>
        GuardAsync<IReadOnlyList<RunSummary>>(async () =>
        {
            // NULL filters drop out; the planner still picks the (project, status|branch, seq) index for a given value.
            await using var command = _source.CreateCommand($"""
                SELECT summary FROM seismo_runs WHERE project_id = $1{(status is null ? "" : " AND status = $4")}{(branch is null ? "" : " AND branch = $5")}
                ORDER BY seq DESC LIMIT $2 OFFSET $3
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = projectId });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)offset });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)branch ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            var list = new List<RunSummary>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) list.Add(RunCodec.DecodeSummary((byte[])reader[0]));
            return list;
        });

    public async IAsyncEnumerable<StoredRun> ReadAfterAsync(Guid projectId, long afterSequence, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var connection = await GuardAsync(() => _source.OpenConnectionAsync(ct).AsTask());
        await using (connection)
        {
            await using var command = new NpgsqlCommand("SELECT summary, results FROM seismo_runs WHERE project_id = $1 AND seq > $2 ORDER BY seq", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = projectId });
            command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
            await using var reader = await GuardAsync(() => command.ExecuteReaderAsync(ct));
            while (await GuardAsync(() => reader.ReadAsync(ct))) yield return ReadRun(reader);
        }
    }

    public Task<long> LastSequenceAsync(Guid projectId, CancellationToken ct = default) => GuardAsync(async () =>
    {
        await using var command = _source.CreateCommand("SELECT COALESCE(MAX(seq), 0) FROM seismo_runs WHERE project_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = projectId });
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    });

    public Task<IReadOnlyList<CatalogEntry>> ReadCatalogAsync(Guid projectId, CancellationToken ct = default) => GuardAsync<IReadOnlyList<CatalogEntry>>(async () =>
    {
        await using var command = _source.CreateCommand(
            "SELECT key_hash, test_key, title, full_title, file_path, first_seen FROM seismo_tests WHERE project_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = projectId });
        var list = new List<CatalogEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new CatalogEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero)));
        }
        return list;
    });

    public Task<IReadOnlyList<Guid>> ProjectsWithRunsAsync(CancellationToken ct = default) => GuardAsync<IReadOnlyList<Guid>>(async () =>
    {
        await using var command = _source.CreateCommand("SELECT DISTINCT project_id FROM seismo_runs");
        var list = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(reader.GetGuid(0));
        return list;
    });

    public async IAsyncEnumerable<StoredRun> ReadBeforeAsync(Guid projectId, DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var connection = await GuardAsync(() => _source.OpenConnectionAsync(ct).AsTask());
        await using (connection)
        {
            await using var command = new NpgsqlCommand("SELECT summary, results FROM seismo_runs WHERE project_id = $1 AND created_at < $2 ORDER BY seq", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = projectId });
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime() });
            await using var reader = await GuardAsync(() => command.ExecuteReaderAsync(ct));
            while (await GuardAsync(() => reader.ReadAsync(ct))) yield return ReadRun(reader);
        }
    }

    public Task DeleteRunsAsync(Guid projectId, IReadOnlyList<Guid> runGuids, CancellationToken ct = default) => GuardAsync(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new NpgsqlBatch(connection, tx);
        await using (batch)
        {
            batch.BatchCommands.Add(Command("DELETE FROM seismo_runs WHERE project_id = $1 AND run_guid = ANY($2)", projectId, runGuids.ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM seismo_archives WHERE project_id = $1 AND run_guid = ANY($2)", projectId, runGuids.ToArray()));
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    });

    public Task DeleteProjectAsync(Guid projectId, CancellationToken ct = default) => GuardAsync(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new NpgsqlBatch(connection, tx);
        await using (batch)
        {
            batch.BatchCommands.Add(Command("DELETE FROM seismo_runs WHERE project_id = $1", projectId));
            batch.BatchCommands.Add(Command("DELETE FROM seismo_archives WHERE project_id = $1", projectId));
            batch.BatchCommands.Add(Command("DELETE FROM seismo_tests WHERE project_id = $1", projectId));
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    });

    public void Dispose() => _source.Dispose();

    private Task<StoredRun?> SingleRunAsync(string sql, CancellationToken ct, params object[] parameters) => GuardAsync(async () =>
    {
        await using var command = _source.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRun(reader) : null;
    });

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return command;
    }

    private static StoredRun ReadRun(NpgsqlDataReader reader) =>
        new(RunCodec.DecodeSummary((byte[])reader[0]), RunCodec.DecodeResults((byte[])reader[1]));

    /// <summary>A database that cannot be reached (down, restarting, out of connections) is a 503, not a 500.</summary>
    internal static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException("the database is unavailable: " + e.Message, e);
        }
    }

    // Connection failures and server-side shutdown/overload classes (08, 53, 57P) are transient; constraint or syntax errors are bugs.
    internal static bool IsUnavailable(NpgsqlException e) =>
        e is not PostgresException pg || e.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
        || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal);
}
