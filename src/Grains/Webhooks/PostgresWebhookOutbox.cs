using Npgsql;
using NpgsqlTypes;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Webhooks;

/// <summary>
/// The webhook outbox on PostgreSQL, shared by every silo of a cluster. Each silo runs a dispatcher; a lease per
/// webhook makes sure only one of them delivers a webhook's queue at a time. The dispatcher's regular scan
/// (<see cref="PendingWebhooksAsync"/>) takes free or expired leases and renews its own, so a lease outlives its
/// holder by at most <see cref="LeaseDuration"/>; every read of the next delivery checks the lease is still held.
/// Delivery stays at-least-once: a holder cut off from the database for longer than the lease may send a delivery
/// its successor sends again (receivers deduplicate on the delivery id header).
/// </summary>
public sealed class PostgresWebhookOutbox(string connectionString, TimeProvider clock, TimeSpan? leaseDuration = null) : IWebhookOutbox, IDisposable
{
    private const int MaxErrorLength = 500;

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>This process's name on the leases it holds.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public TimeSpan LeaseDuration { get; } = leaseDuration ?? TimeSpan.FromSeconds(30);

    // The cluster schema creates the tables before any silo starts.
    public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken ct = default) => entries.Count == 0 ? Task.CompletedTask : Guard(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var e in entries)
        {
            batch.BatchCommands.Add(Batch("""
                INSERT INTO seismo_webhook_deliveries
                    (delivery_id, webhook_id, project_id, event_id, event_type, webhook_event, seq, body, state, created_at, next_attempt_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)
                ON CONFLICT DO NOTHING
                """, e.DeliveryId, e.WebhookId, e.ProjectId, e.EventId, e.EventType, e.WebhookEvent, e.Sequence, e.Body, e.CreatedAt.ToUniversalTime()));
        }
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    });

    public Task<IReadOnlyList<(Guid ProjectId, Guid WebhookId)>> PendingWebhooksAsync(CancellationToken ct = default) => Guard<IReadOnlyList<(Guid, Guid)>>(async () =>
    {
        await using var command = Command("""
            WITH pending AS (
                SELECT DISTINCT ON (webhook_id) webhook_id, project_id FROM seismo_webhook_deliveries WHERE state = 'pending'),
            leased AS (
                INSERT INTO seismo_webhook_leases (webhook_id, holder, expires_at)
                SELECT webhook_id, $1, $2::timestamptz + $3 FROM pending
                ON CONFLICT (webhook_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE seismo_webhook_leases.holder = excluded.holder OR seismo_webhook_leases.expires_at < $2::timestamptz
                RETURNING webhook_id)
            SELECT p.project_id, p.webhook_id FROM pending p JOIN leased l ON l.webhook_id = p.webhook_id
            """, Holder, Now(), LeaseDuration);
        var list = new List<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add((reader.GetGuid(0), reader.GetGuid(1)));
        return list;
    });

    public Task<long> PendingCountAsync(CancellationToken ct = default) => Guard(async () =>
    {
        // Served by the partial index on pending rows: the cost follows the queue, not the delivery history.
        await using var command = Command("SELECT count(*) FROM seismo_webhook_deliveries WHERE state = 'pending'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    });

    public Task<PendingDelivery?> NextPendingAsync(Guid webhookId, CancellationToken ct = default) => Guard(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        // Renewing the lease is also the check that it is still ours: a lost lease ends this silo's worker.
        await using (var renew = new NpgsqlCommand(
            "UPDATE seismo_webhook_leases SET expires_at = $3::timestamptz + $4 WHERE webhook_id = $1 AND holder = $2 AND expires_at >= $3::timestamptz",
            connection))
        {
            AddAll(renew.Parameters, webhookId, Holder, Now(), LeaseDuration);
            if (await renew.ExecuteNonQueryAsync(ct) == 0) return null;
        }
        await using var query = new NpgsqlCommand("""
            SELECT delivery_id, project_id, event_id, webhook_event, body, attempt_count, COALESCE(next_attempt_at, created_at)
            FROM seismo_webhook_deliveries WHERE state = 'pending' AND webhook_id = $1 ORDER BY id LIMIT 1
            """, connection);
        AddAll(query.Parameters, webhookId);
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                return new PendingDelivery(reader.GetString(0), webhookId, reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetInt32(5), Utc(reader.GetDateTime(6)));
            }
        }
        // Nothing left: free the webhook for whichever silo sees its next delivery first.
        await using var release = new NpgsqlCommand("DELETE FROM seismo_webhook_leases WHERE webhook_id = $1 AND holder = $2", connection);
        AddAll(release.Parameters, webhookId, Holder);
        await release.ExecuteNonQueryAsync(ct);
        return null;
    });

    public Task RecordAttemptAsync(string deliveryId, WebhookAttemptInfo attempt, CancellationToken ct = default) => Guard(async () =>
    {
        var error = (object?)Clip(attempt.Error) ?? DBNull.Value;
        var status = (object?)attempt.StatusCode ?? DBNull.Value;
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        // A delivery deleted with its webhook meanwhile keeps no orphan attempt.
        batch.BatchCommands.Add(Batch("""
            INSERT INTO seismo_webhook_attempts (delivery_id, attempt, started_at, latency_ms, status_code, error)
            SELECT $1, $2, $3, $4, $5::integer, $6::text WHERE EXISTS (SELECT 1 FROM seismo_webhook_deliveries WHERE delivery_id = $1)
            ON CONFLICT (delivery_id, attempt) DO UPDATE SET started_at = excluded.started_at, latency_ms = excluded.latency_ms,
                status_code = excluded.status_code, error = excluded.error
            """, deliveryId, attempt.Attempt, attempt.StartedAt.ToUniversalTime(), attempt.LatencyMs, Typed(status, NpgsqlDbType.Integer), Typed(error, NpgsqlDbType.Text)));
        batch.BatchCommands.Add(Batch("""
            UPDATE seismo_webhook_deliveries SET attempt_count = GREATEST(attempt_count, $2), last_status = $3::integer, last_error = $4::text
            WHERE delivery_id = $1
            """, deliveryId, attempt.Attempt, Typed(status, NpgsqlDbType.Integer), Typed(error, NpgsqlDbType.Text)));
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    });

    public Task ScheduleAsync(string deliveryId, DateTimeOffset nextAttemptAt, CancellationToken ct = default) =>
        ExecuteAsync("UPDATE seismo_webhook_deliveries SET next_attempt_at = $2 WHERE delivery_id = $1 AND state = 'pending'", ct,
            deliveryId, nextAttemptAt.ToUniversalTime());

    public Task CompleteAsync(string deliveryId, string state, string? error, DateTimeOffset at, CancellationToken ct = default) =>
        ExecuteAsync("""
            UPDATE seismo_webhook_deliveries SET state = $2, completed_at = $3, next_attempt_at = NULL, last_error = COALESCE($4::text, last_error)
            WHERE delivery_id = $1 AND state = 'pending'
            """, ct, deliveryId, state, at.ToUniversalTime(), Typed((object?)Clip(error) ?? DBNull.Value, NpgsqlDbType.Text));

    public Task DeleteWebhookAsync(Guid webhookId, CancellationToken ct = default) =>
        ExecuteAsync("""
            DELETE FROM seismo_webhook_attempts WHERE delivery_id IN (SELECT delivery_id FROM seismo_webhook_deliveries WHERE webhook_id = $1);
            DELETE FROM seismo_webhook_deliveries WHERE webhook_id = $1;
            DELETE FROM seismo_webhook_leases WHERE webhook_id = $1;
            """, ct, webhookId);

    public Task<WebhookDeliveryPage> ListAsync(Guid webhookId, int limit, int offset, CancellationToken ct = default) => Guard(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM seismo_webhook_deliveries WHERE webhook_id = $1", connection);
        AddAll(count.Parameters, webhookId);
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(ct));

        await using var query = new NpgsqlCommand("""
            SELECT delivery_id, event_id, event_type, webhook_event, seq, state, attempt_count, last_status, last_error, created_at,
                   CASE WHEN state = 'pending' THEN next_attempt_at END, completed_at
            FROM seismo_webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """, connection);
        AddAll(query.Parameters, webhookId, (long)limit, (long)offset);
        var rows = new List<WebhookDeliveryInfo>();
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new WebhookDeliveryInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), Utc(reader.GetDateTime(9)),
                    reader.IsDBNull(10) ? null : Utc(reader.GetDateTime(10)), reader.IsDBNull(11) ? null : Utc(reader.GetDateTime(11)), []));
            }
        }
        if (rows.Count == 0) return new WebhookDeliveryPage([], total);

        var attempts = rows.ToDictionary(r => r.Id, _ => new List<WebhookAttemptInfo>());
        await using var attemptQuery = new NpgsqlCommand("""
            SELECT delivery_id, attempt, started_at, latency_ms, status_code, error FROM seismo_webhook_attempts
            WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt
            """, connection);
        attemptQuery.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Id).ToArray() });
        await using (var reader = await attemptQuery.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                attempts[reader.GetString(0)].Add(new WebhookAttemptInfo(reader.GetInt32(1), Utc(reader.GetDateTime(2)), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }
        return new WebhookDeliveryPage(rows.Select(r => r with { Attempts = [.. attempts[r.Id]] }).ToArray(), total);
    });

    public void Dispose() => _source.Dispose();

    private Task ExecuteAsync(string sql, CancellationToken ct, params object[] parameters) => Guard(async () =>
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
        return true;
    });

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = _source.CreateCommand(sql);
        AddAll(command.Parameters, parameters);
        return command;
    }

    private static NpgsqlBatchCommand Batch(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddAll(command.Parameters, parameters);
        return command;
    }

    private static void AddAll(NpgsqlParameterCollection collection, params object[] parameters)
    {
        foreach (var p in parameters) collection.Add(p as NpgsqlParameter ?? new NpgsqlParameter { Value = p });
    }

    private static NpgsqlParameter Typed(object value, NpgsqlDbType type) => new() { Value = value, NpgsqlDbType = type };

    // The lease clock is the silos' (the TimeProvider tests control), not the database server's.
    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static string? Clip(string? s) => s is { Length: > MaxErrorLength } ? s[..MaxErrorLength] : s;

    private static Task<T> Guard<T>(Func<Task<T>> work) => PostgresRunStore.GuardAsync(work);
}
