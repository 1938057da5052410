using System.Globalization;
using Microsoft.Data.Sqlite;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Webhooks;

/// <summary>
/// The webhook outbox on the embedded SQLite store. Writes go through the <see cref="SqliteGate"/> like every other
/// write: queuing in the urgent lane (a publisher waits for it) with a full fsync, attempt records in the background
/// lane. Reads use pooled connections on the thread pool.
/// </summary>
public sealed class SqliteWebhookOutbox(string connectionString, SqliteGate gate) : IWebhookOutbox
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS SeismoWebhookDeliveries (
            Id INTEGER PRIMARY KEY AUTOINCREMENT,
            DeliveryId TEXT NOT NULL UNIQUE,
            WebhookId TEXT NOT NULL,
            ProjectId TEXT NOT NULL,
            EventId TEXT NOT NULL,
            EventType TEXT NOT NULL,
            WebhookEvent TEXT NOT NULL,
            Seq INTEGER NOT NULL,
            Body TEXT NOT NULL,
            State TEXT NOT NULL,
            AttemptCount INTEGER NOT NULL DEFAULT 0,
            LastStatusCode INTEGER NULL,
            LastError TEXT NULL,
            CreatedAt TEXT NOT NULL,
            NextAttemptAt TEXT NULL,
            CompletedAt TEXT NULL,
            UNIQUE (WebhookId, EventId));
        CREATE INDEX IF NOT EXISTS IX_SeismoWebhookDeliveries_Pending ON SeismoWebhookDeliveries (State, WebhookId, Id);
        CREATE INDEX IF NOT EXISTS IX_SeismoWebhookDeliveries_Webhook ON SeismoWebhookDeliveries (WebhookId, Id);
        CREATE TABLE IF NOT EXISTS SeismoWebhookAttempts (
            DeliveryId TEXT NOT NULL,
            Attempt INTEGER NOT NULL,
            StartedAt TEXT NOT NULL,
            LatencyMs INTEGER NOT NULL,
            StatusCode INTEGER NULL,
            Error TEXT NULL,
            PRIMARY KEY (DeliveryId, Attempt));
        """;

    private const int MaxErrorLength = 500;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + Schema;
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken ct = default) =>
        entries.Count == 0 ? Task.CompletedTask : gate.RunAsync(SqliteGate.Lane.Urgent, () => WriteAsync(async (connection, tx) =>
        {
            await using var insert = Command(connection, tx, """
                INSERT OR IGNORE INTO SeismoWebhookDeliveries
                    (DeliveryId, WebhookId, ProjectId, EventId, EventType, WebhookEvent, Seq, Body, State, CreatedAt, NextAttemptAt)
                VALUES ($delivery, $webhook, $project, $event, $type, $name, $seq, $body, 'pending', $created, $created)
                """);
            var p = insert.Parameters;
            var delivery = p.Add("$delivery", SqliteType.Text);
            var webhook = p.Add("$webhook", SqliteType.Text);
            var project = p.Add("$project", SqliteType.Text);
            var eventId = p.Add("$event", SqliteType.Text);
            var type = p.Add("$type", SqliteType.Text);
            var name = p.Add("$name", SqliteType.Text);
            var seq = p.Add("$seq", SqliteType.Integer);
            var body = p.Add("$body", SqliteType.Text);
            var created = p.Add("$created", SqliteType.Text);
            foreach (var e in entries)
            {
                delivery.Value = e.DeliveryId;
                webhook.Value = Key(e.WebhookId);
                project.Value = Key(e.ProjectId);
                eventId.Value = e.EventId;
                type.Value = e.EventType;
                name.Value = e.WebhookEvent;
                seq.Value = e.Sequence;
                body.Value = e.Body;
                created.Value = Time(e.CreatedAt);
                await insert.ExecuteNonQueryAsync(ct);
            }
        }, fullSync: true, ct));

    public Task<IReadOnlyList<(Guid ProjectId, Guid WebhookId)>> PendingWebhooksAsync(CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var query = Command(connection, null, "SELECT DISTINCT ProjectId, WebhookId FROM SeismoWebhookDeliveries WHERE State = 'pending'");
        var list = new List<(Guid, Guid)>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add((Guid.ParseExact(reader.GetString(0), "N"), Guid.ParseExact(reader.GetString(1), "N")));
        return (IReadOnlyList<(Guid, Guid)>)list;
    }, ct);

    public Task<long> PendingCountAsync(CancellationToken ct = default) => Task.Run(async () =>
    {
        // A range of the (State, WebhookId, Id) index: the cost follows the queue, not the delivery history.
        await using var connection = await OpenAsync(ct);
        await using var query = Command(connection, null, "SELECT count(*) FROM SeismoWebhookDeliveries WHERE State = 'pending'");
        return Convert.ToInt64(await query.ExecuteScalarAsync(ct));
    }, ct);

    public Task<PendingDelivery?> NextPendingAsync(Guid webhookId, CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var query = Command(connection, null, """
            SELECT DeliveryId, ProjectId, EventId, WebhookEvent, Body, AttemptCount, COALESCE(NextAttemptAt, CreatedAt)
            FROM SeismoWebhookDeliveries WHERE State = 'pending' AND WebhookId = $webhook ORDER BY Id LIMIT 1
            """);
        query.Parameters.AddWithValue("$webhook", Key(webhookId));
        await using var reader = await query.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new PendingDelivery(reader.GetString(0), webhookId, Guid.ParseExact(reader.GetString(1), "N"), reader.GetString(2),
            reader.GetString(3), reader.GetString(4), reader.GetInt32(5), ParseTime(reader.GetString(6)));
    }, ct);

    public Task RecordAttemptAsync(string deliveryId, WebhookAttemptInfo attempt, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => WriteAsync(async (connection, tx) =>
        {
            var error = Clip(attempt.Error);
            // A delivery deleted with its webhook meanwhile keeps no orphan attempt.
            await using var insert = Command(connection, tx, """
                INSERT OR REPLACE INTO SeismoWebhookAttempts (DeliveryId, Attempt, StartedAt, LatencyMs, StatusCode, Error)
                SELECT $delivery, $attempt, $started, $latency, $status, $error
                WHERE EXISTS (SELECT 1 FROM SeismoWebhookDeliveries WHERE DeliveryId = $delivery)
                """);
            insert.Parameters.AddWithValue("$delivery", deliveryId);
            insert.Parameters.AddWithValue("$attempt", attempt.Attempt);
            insert.Parameters.AddWithValue("$started", Time(attempt.StartedAt));
            insert.Parameters.AddWithValue("$latency", attempt.LatencyMs);
            insert.Parameters.AddWithValue("$status", (object?)attempt.StatusCode ?? DBNull.Value);
            insert.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
            await using var update = Command(connection, tx, """
                UPDATE SeismoWebhookDeliveries SET AttemptCount = MAX(AttemptCount, $attempt), LastStatusCode = $status, LastError = $error
                WHERE DeliveryId = $delivery
                """);
            update.Parameters.AddWithValue("$delivery", deliveryId);
            update.Parameters.AddWithValue("$attempt", attempt.Attempt);
            update.Parameters.AddWithValue("$status", (object?)attempt.StatusCode ?? DBNull.Value);
            update.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            await update.ExecuteNonQueryAsync(ct);
        }, fullSync: false, ct));

    public Task ScheduleAsync(string deliveryId, DateTimeOffset nextAttemptAt, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => WriteAsync(async (connection, tx) =>
        {
            await using var update = Command(connection, tx, "UPDATE SeismoWebhookDeliveries SET NextAttemptAt = $next WHERE DeliveryId = $delivery AND State = 'pending'");
            update.Parameters.AddWithValue("$delivery", deliveryId);
            update.Parameters.AddWithValue("$next", Time(nextAttemptAt));
            await update.ExecuteNonQueryAsync(ct);
        }, fullSync: false, ct));

    public Task CompleteAsync(string deliveryId, string state, string? error, DateTimeOffset at, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => WriteAsync(async (connection, tx) =>
        {
            await using var update = Command(connection, tx, """
                UPDATE SeismoWebhookDeliveries SET State = $state, CompletedAt = $at, NextAttemptAt = NULL, LastError = COALESCE($error, LastError)
                WHERE DeliveryId = $delivery AND State = 'pending'
                """);
            update.Parameters.AddWithValue("$delivery", deliveryId);
            update.Parameters.AddWithValue("$state", state);
            update.Parameters.AddWithValue("$at", Time(at));
            update.Parameters.AddWithValue("$error", (object?)Clip(error) ?? DBNull.Value);
            await update.ExecuteNonQueryAsync(ct);
        }, fullSync: false, ct));

    public Task DeleteWebhookAsync(Guid webhookId, CancellationToken ct = default) =>
        gate.RunAsync(SqliteGate.Lane.Background, () => WriteAsync(async (connection, tx) =>
        {
            await using var attempts = Command(connection, tx, """
                DELETE FROM SeismoWebhookAttempts WHERE DeliveryId IN (SELECT DeliveryId FROM SeismoWebhookDeliveries WHERE WebhookId = $webhook)
                """);
            attempts.Parameters.AddWithValue("$webhook", Key(webhookId));
            await attempts.ExecuteNonQueryAsync(ct);
            await using var deliveries = Command(connection, tx, "DELETE FROM SeismoWebhookDeliveries WHERE WebhookId = $webhook");
            deliveries.Parameters.AddWithValue("$webhook", Key(webhookId));
            await deliveries.ExecuteNonQueryAsync(ct);
        }, fullSync: false, ct));

    public Task<WebhookDeliveryPage> ListAsync(Guid webhookId, int limit, int offset, CancellationToken ct = default) => Task.Run(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var count = Command(connection, null, "SELECT COUNT(*) FROM SeismoWebhookDeliveries WHERE WebhookId = $webhook");
        count.Parameters.AddWithValue("$webhook", Key(webhookId));
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);

        await using var query = Command(connection, null, """
            SELECT DeliveryId, EventId, EventType, WebhookEvent, Seq, State, AttemptCount, LastStatusCode, LastError, CreatedAt,
                   CASE WHEN State = 'pending' THEN NextAttemptAt END, CompletedAt
            FROM SeismoWebhookDeliveries WHERE WebhookId = $webhook ORDER BY Id DESC LIMIT $limit OFFSET $offset
            """);
        query.Parameters.AddWithValue("$webhook", Key(webhookId));
        query.Parameters.AddWithValue("$limit", limit);
        query.Parameters.AddWithValue("$offset", offset);
        var rows = new List<WebhookDeliveryInfo>();
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new WebhookDeliveryInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), ParseTime(reader.GetString(9)),
                    reader.IsDBNull(10) ? null : ParseTime(reader.GetString(10)), reader.IsDBNull(11) ? null : ParseTime(reader.GetString(11)), []));
            }
        }
        if (rows.Count == 0) return new WebhookDeliveryPage([], total);

        var attempts = rows.ToDictionary(r => r.Id, _ => new List<WebhookAttemptInfo>());
        await using var attemptQuery = Command(connection, null, $"""
            SELECT DeliveryId, Attempt, StartedAt, LatencyMs, StatusCode, Error FROM SeismoWebhookAttempts
            WHERE DeliveryId IN ({string.Join(", ", rows.Select((_, i) => $"$d{i}"))}) ORDER BY DeliveryId, Attempt
            """);
        for (var i = 0; i < rows.Count; i++) attemptQuery.Parameters.AddWithValue($"$d{i}", rows[i].Id);
        await using (var reader = await attemptQuery.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                attempts[reader.GetString(0)].Add(new WebhookAttemptInfo(reader.GetInt32(1), ParseTime(reader.GetString(2)), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }
        return new WebhookDeliveryPage(rows.Select(r => r with { Attempts = [.. attempts[r.Id]] }).ToArray(), total);
    }, ct);

    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, bool fullSync, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            // Pooled connections keep whatever synchronous mode their last user set: say it every time.
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = fullSync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
                await pragma.ExecuteNonQueryAsync(ct);
            }
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await work(connection, tx);
            await tx.CommitAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14)
        {
            throw new StorageUnavailableException("the webhook outbox is unavailable: " + e.Message, e);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

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
            throw new StorageUnavailableException("the webhook outbox is unavailable: " + e.Message, e);
        }
    }

    private static string Key(Guid id) => id.ToString("N");

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string? Clip(string? s) => s is { Length: > MaxErrorLength } ? s[..MaxErrorLength] : s;
}
