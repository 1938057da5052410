using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Seismo.Cli.Http;

namespace Seismo.Cli.Upload;

/// <summary>
/// Follows <c>GET /api/uploads/stream</c> (data: the session object on every change). Opened before the upload
/// starts, so no phase is missed; after a dropped connection the session is read once (<c>GET /api/uploads/{id}</c>)
/// to catch up, then followed again.
/// </summary>
public sealed class UploadWatch : IAsyncDisposable
{
    private readonly SeismoClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, UploadSessionView> _latest = new(StringComparer.Ordinal);
    // A null item means "the stream reconnected: read the session directly".
    private readonly Channel<UploadSessionView?> _changes = Channel.CreateUnbounded<UploadSessionView?>();
    private HttpResponseMessage? _response;
    private Task _pump = Task.CompletedTask;

    private UploadWatch(SeismoClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
    }

    public static async Task<UploadWatch> OpenAsync(SeismoClient client, CancellationToken ct)
    {
        var watch = new UploadWatch(client, await client.OpenStreamAsync("api/uploads/stream", null, ct));
        watch._pump = watch.PumpAsync();
        return watch;
    }

    /// <summary>Reports every change of the session until it is done or failed; returns its last state.</summary>
    public async Task<UploadSessionView> UntilFinishedAsync(UploadSessionView session, IUploadProgress progress, CancellationToken ct)
    {
        if (_latest.TryGetValue(session.Id, out var seen) && Rank(seen) > Rank(session)) session = seen;
        progress.Server(session);
        while (!session.Finished)
        {
            var change = await _changes.Reader.ReadAsync(ct);
            if (change is null)
                change = UploadSessionView.Parse(await _client.GetJsonAsync($"api/uploads/{Uri.EscapeDataString(session.Id)}", ct));
            if (change.Id != session.Id || Rank(change) < Rank(session)) continue;
            session = change;
            progress.Server(session);
        }
        return session;
    }

    /// <summary>Phases only move forward; an older frame read after a newer state must not move the display back.</summary>
    private static int Rank(UploadSessionView s) => s.Phase == "failed" ? int.MaxValue : Array.IndexOf(UploadSessionView.Phases, s.Phase);

    private async Task PumpAsync()
    {
        var ct = _stop.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_response is null)
                {
                    _response = await _client.OpenStreamAsync("api/uploads/stream", null, ct);
                    _changes.Writer.TryWrite(null);
                }
                await foreach (var frame in SseReader.ReadAsync(await _response.Content.ReadAsStreamAsync(ct), ct))
                {
                    failures = 0;
                    UploadSessionView session;
                    try
                    {
                        using var json = JsonDocument.Parse(frame.Data);
                        session = UploadSessionView.Parse(json.RootElement);
                    }
                    catch (JsonException)
                    {
                        continue;
                    }
                    _latest[session.Id] = session;
                    _changes.Writer.TryWrite(session);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or SeismoApiException)
            {
                failures++;
            }
            _response?.Dispose();
            _response = null;
            try { await Task.Delay(_client.Retry.Backoff(Math.Min(failures + 1, 4), Random.Shared.NextDouble()), ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _response?.Dispose();
        _stop.Dispose();
    }
}
