using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Seismo.Grains.Storage;

/// <summary>
/// The run log on the embedded SQLite store. Appends run on the <see cref="SqliteGate"/> writer thread with the
/// grain state writes; reads use pooled connections on the thread pool (WAL lets them run alongside the writer).
/// </summary>
public sealed class SqliteRunStore(string connectionString, SqliteGate gate) : IRunStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS SeismoRuns (
            RunGuid TEXT NOT NULL PRIMARY KEY,
            ProjectId TEXT NOT NULL,
            Seq INTEGER NOT NULL,
            Status TEXT NOT NULL,
            Branch TEXT NULL,
            CreatedAt TEXT NOT NULL,
            Summary BLOB NOT NULL,
            Results BLOB NOT NULL,
            UNIQUE (ProjectId, Seq));
        CREATE INDEX IF NOT EXISTS IX_SeismoRuns_Status ON SeismoRuns (ProjectId, Status, Seq);
        CREATE INDEX IF NOT EXISTS IX_SeismoRuns_Branch ON SeismoRuns (ProjectId, Branch, Seq);
        CREATE TABLE IF NOT EXISTS SeismoArchives (
            RunGuid TEXT NOT NULL PRIMARY KEY,
            ProjectId TEXT NOT NULL,
            Content BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS IX_SeismoArchives_Project ON SeismoArchives (ProjectId);
        CREATE TABLE IF NOT EXISTS SeismoTests (
            ProjectId TEXT NOT NULL,
            KeyHash TEXT NOT NULL,
            TestKey TEXT NOT NULL,
            Title TEXT NOT NULL,
            FullTitle TEXT NULL,
            FilePath TEXT NULL,
            FirstSeen TEXT NOT NULL,
            PRIMARY KEY (ProjectId, KeyHash));
        """;


    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + Schema;
        await command.ExecuteNonQueryAsync(ct);
    }

    // A client waits for this write: it takes the gate's urgent lane. The results are encoded before, off the gate.
    public Task AppendAsync(IReadOnlyList<RunAppend> runs, CancellationToken ct = default)
    {
        var encoded = runs.Select(r => (r.Run, Summary: RunCodec.EncodeSummary(r.Run), Results: RunCodec.EncodeResults(r.Results), r.NewTests, r.Archive)).ToArray();
        return gate.RunAsync(SqliteGate.Lane.Urgent, () => AppendCoreAsync(encoded, ct));
    }

    private async Task AppendCoreAsync(
        IReadOnlyList<(RunSummary Run, byte[] Summary, byte[] Results, IReadOnlyList<CatalogEntry> NewTests, byte[]? Archive)> runs, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            // Pooled connections may carry the grain storage's synchronous=NORMAL: an acknowledged run is fsynced.
            await using (var full = connection.CreateCommand())
            {
                full.CommandText = "PRAGMA synchronous = FULL";
                await full.ExecuteNonQueryAsync(ct);
            }
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = tx;
                insert.CommandText = """
                    INSERT INTO SeismoRuns (RunGuid, ProjectId, Seq, Status, Branch, CreatedAt, Summary, Results)
                    VALUES ($run, $project, $seq, $status, $branch, $created, $summary, $results)
                    """;
                var runGuid = insert.Parameters.Add("$run", SqliteType.Text);
                var project = insert.Parameters.Add("$project", SqliteType.Text);
                var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
                var status = insert.Parameters.Add("$status", SqliteType.Text);
                var branch = insert.Parameters.Add("$branch", SqliteType.Text);
                var created = insert.Parameters.Add("$created", SqliteType.Text);
                var summary = insert.Parameters.Add("$summary", SqliteType.Blob);
                var results = insert.Parameters.Add("$results", SqliteType.Blob);
                foreach (var r in runs)
                {
                    var m = r.Run.Metadata;
                    runGuid.Value = m.RunGuid.ToString("N");
                    project.Value = m.ProjectId.ToString("N");
                    seq.Value = r.Run.Sequence;
                    status.Value = r.Run.Status;
                    branch.Value = (object?)m.Ci.Branch ?? DBNull.Value;
                    created.Value = m.CreatedAt.UtcDateTime.ToString("O");
                    summary.Value = r.Summary;
                    results.Value = r.Results;
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }
            foreach (var r in runs)
            {
                if (r.Archive is not null) await InsertArchiveAsync(connection, tx, r.Run.Metadata, r.Archive, ct);
                if (r.NewTests.Count > 0) await InsertCatalogAsync(connection, tx, r.Run.Metadata.ProjectId, r.NewTests, ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException("the run store is unavailable: " + e.Message, e);
        }
    }

    private static async Task InsertArchiveAsync(SqliteConnection connection, SqliteTransaction tx, RunMetadata run, byte[] content, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO SeismoArchives (RunGuid, ProjectId, Content) VALUES ($run, $project, $content)";
        insert.Parameters.AddWithValue("$run", run.RunGuid.ToString("N"));
        insert.Parameters.AddWithValue("$project", run.ProjectId.ToString("N"));
        insert.Parameters.AddWithValue("$content", content);
        await insert.ExecuteNonQueryAsync(ct);
    }

    public Task<byte[]?> ReadArchiveAsync(Guid runGuid, CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Content FROM SeismoArchives WHERE RunGuid = $run";
        query.Parameters.AddWithValue("$run", runGuid.ToString("N"));
        return await query.ExecuteScalarAsync(ct) as byte[];
    }, ct);

    private static async Task InsertCatalogAsync(SqliteConnection connection, SqliteTransaction tx, Guid projectId, IReadOnlyList<CatalogEntry> entries, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT OR IGNORE INTO SeismoTests (ProjectId, KeyHash, TestKey, Title, FullTitle, FilePath, FirstSeen)
            VALUES ($project, $hash, $key, $title, $full, $file, $seen)
            """;
        var project = insert.Parameters.AddWithValue("$project", projectId.ToString("N"));
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var full = insert.Parameters.Add("$full", SqliteType.Text);
        var file = insert.Parameters.Add("$file", SqliteType.Text);
        var seen = insert.Parameters.Add("$seen", SqliteType.Text);
        foreach (var e in entries)
        {
            hash.Value = e.KeyHash;
            key.Value = e.Key;
            title.Value = e.Title;
            full.Value = (object?)e.FullTitle ?? DBNull.Value;
            file.Value = (object?)e.FilePath ?? DBNull.Value;
            seen.Value = e.FirstSeen.UtcDateTime.ToString("O");
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    public Task<StoredRun?> GetAsync(Guid runGuid, CancellationToken ct = default) => Task.Run(() => GetCoreAsync(runGuid, ct), ct);

    private async Task<StoredRun?> GetCoreAsync(Guid runGuid, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Summary, Results FROM SeismoRuns WHERE RunGuid = $run";
        query.Parameters.AddWithValue("$run", runGuid.ToString("N"));
        await using var reader = await query.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRun(reader) : null;
    }

    public Task<StoredRun?> GetBySequenceAsync(Guid projectId, long sequence, CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Summary, Results FROM SeismoRuns WHERE ProjectId = $project AND Seq = $seq";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        query.Parameters.AddWithValue("$seq", sequence);
        await using var reader = await query.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRun(reader) : null;
    }, ct);

    public Task<RunSummary?> GetSummaryAsync(Guid runGuid, CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Summary FROM SeismoRuns WHERE RunGuid = $run";
        query.Parameters.AddWithValue("$run", runGuid.ToString("N"));
        return await query.ExecuteScalarAsync(ct) is byte[] summary ? RunCodec.DecodeSummary(summary) : null;
    }, ct);

    public Task<IReadOnlyList<RunSummary>> ListAsync(Guid projectId, string? status, string? branch, int limit, int offset, CancellationToken ct = default) =>
        Task.Run(() => ListCoreAsync(projectId, status, branch, limit, offset, ct), ct);

    private async Task<IReadOnlyList<RunSummary>> ListCoreAsync(Guid projectId, string? status, string? branch, int limit, int offset, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        var filter = (status is null ? "" : " AND Status = $status") + (branch is null ? "" : " AND Branch = $branch");
        query.CommandText = $"SELECT Summary FROM SeismoRuns WHERE ProjectId = $project{filter} ORDER BY Seq DESC LIMIT $limit OFFSET $offset";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        if (status is not null) query.Parameters.AddWithValue("$status", status);
        if (branch is not null) query.Parameters.AddWithValue("$branch", branch);
        query.Parameters.AddWithValue("$limit", limit);
        query.Parameters.AddWithValue("$offset", offset);
        var list = new List<RunSummary>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(RunCodec.DecodeSummary((byte[])reader[0]));
        return list;
    }

    public async IAsyncEnumerable<StoredRun> ReadAfterAsync(Guid projectId, long afterSequence, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Summary, Results FROM SeismoRuns WHERE ProjectId = $project AND Seq > $after ORDER BY Seq";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        query.Parameters.AddWithValue("$after", afterSequence);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return ReadRun(reader);
    }

    public async Task<long> LastSequenceAsync(Guid projectId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT COALESCE(MAX(Seq), 0) FROM SeismoRuns WHERE ProjectId = $project";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        return Convert.ToInt64(await query.ExecuteScalarAsync(ct));
    }

    public async Task<IReadOnlyList<CatalogEntry>> ReadCatalogAsync(Guid projectId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT KeyHash, TestKey, Title, FullTitle, FilePath, FirstSeen FROM SeismoTests WHERE ProjectId = $project";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        var list = new List<CatalogEntry>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new CatalogEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.Parse(reader.GetString(5), System.Globalization.CultureInfo.InvariantCulture)));
        }
        return list;
    }

    public async Task<IReadOnlyList<Guid>> ProjectsWithRunsAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT DISTINCT ProjectId FROM SeismoRuns";
        var list = new List<Guid>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(Guid.ParseExact(reader.GetString(0), "N"));
        return list;
    }

    public async IAsyncEnumerable<StoredRun> ReadBeforeAsync(Guid projectId, DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var query = connection.CreateCommand();
        // CreatedAt is stored as round-trip UTC text of fixed width, so text order is time order.
        query.CommandText = "SELECT Summary, Results FROM SeismoRuns WHERE ProjectId = $project AND CreatedAt < $cutoff ORDER BY Seq";
        query.Parameters.AddWithValue("$project", projectId.ToString("N"));
        query.Parameters.AddWithValue("$cutoff", cutoff.UtcDateTime.ToString("O"));
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return ReadRun(reader);
    }

    public Task DeleteRunsAsync(Guid projectId, IReadOnlyList<Guid> runGuids, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Urgent, () => ExecuteInTransactionAsync(async (connection, tx) =>
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = """
                DELETE FROM SeismoRuns WHERE ProjectId = $project AND RunGuid = $run;
                DELETE FROM SeismoArchives WHERE ProjectId = $project AND RunGuid = $run;
                """;
            delete.Parameters.AddWithValue("$project", projectId.ToString("N"));
            var run = delete.Parameters.Add("$run", SqliteType.Text);
            foreach (var guid in runGuids)
            {
                run.Value = guid.ToString("N");
                await delete.ExecuteNonQueryAsync(ct);
            }
        }, ct));

    public Task DeleteProjectAsync(Guid projectId, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Urgent, () => ExecuteInTransactionAsync(async (connection, tx) =>
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = """
                DELETE FROM SeismoRuns WHERE ProjectId = $project;
                DELETE FROM SeismoArchives WHERE ProjectId = $project;
                DELETE FROM SeismoTests WHERE ProjectId = $project;
                """;
            delete.Parameters.AddWithValue("$project", projectId.ToString("N"));
            await delete.ExecuteNonQueryAsync(ct);
        }, ct));

    private async Task ExecuteInTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await work(connection, tx);
            await tx.CommitAsync(ct);
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException("the run store is unavailable: " + e.Message, e);
        }
    }

    private static StoredRun ReadRun(SqliteDataReader reader) =>
        new(RunCodec.DecodeSummary((byte[])reader[0]), RunCodec.DecodeResults((byte[])reader[1]));

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new StorageUnavailableException("the run store is unavailable: " + e.Message, e);
        }
    }

    // Busy, locked, I/O, full disk, read-only or unopenable: the client should retry later.
    private static bool IsUnavailable(SqliteException e) => e.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14;
}
