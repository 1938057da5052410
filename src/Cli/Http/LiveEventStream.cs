using System.Text.Json;

namespace Seismo.Cli.Http;

/// <summary>One event of a project's stream: the SSE <c>data</c> envelope (<c>type</c>, <c>sequence</c>, <c>data</c>, …).</summary>
public sealed record LiveEnvelope(string Type, long Sequence, DateTimeOffset? Timestamp, JsonElement Data)
{
    public const string Truncated = "replay.truncated";

    public static LiveEnvelope? Parse(SseFrame frame)
    {
        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(frame.Data);
            root = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
        if (frame.Event == Truncated || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type))
            return new LiveEnvelope(frame.Event ?? "message", 0, null, root);
        return new LiveEnvelope(
            type.GetString() ?? frame.Event ?? "message",
            root.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var seq) ? seq : 0,
            root.TryGetProperty("timestamp", out var t) && t.TryGetDateTimeOffset(out var at) ? at : null,
            root.TryGetProperty("data", out var data) ? data : default);
    }

    public string? String(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// A project's live events (<c>GET /api/events/stream</c>). The first connection is made by <see cref="OpenAsync"/>,
/// so a caller can read state after it knowing no later change is missed; when the connection drops, it reconnects
/// with <c>Last-Event-ID</c> and the server replays what was missed.
/// </summary>
public sealed class LiveEventStream : IAsyncDisposable
{
    private readonly SeismoClient _client;
    private readonly string _path;
    private HttpResponseMessage? _response;
    private string? _lastId;

    private LiveEventStream(SeismoClient client, string path, HttpResponseMessage response, string? lastId)
    {
        _client = client;
        _path = path;
        _response = response;
        _lastId = lastId;
    }

    /// <param name="afterSequence">Replay from after this sequence (the server's buffer permitting); null for live events only.</param>
    public static async Task<LiveEventStream> OpenAsync(SeismoClient client, Guid? projectId, long? afterSequence, CancellationToken ct)
    {
        var path = SeismoClient.Path("api/events/stream", ("projectId", projectId?.ToString()));
        var lastId = afterSequence?.ToString();
        var response = await client.OpenStreamAsync(path, lastId, ct);
        return new LiveEventStream(client, path, response, lastId);
    }

    /// <summary>Events until <paramref name="ct"/> fires. Refusals (401, 403, 404) end it with <see cref="SeismoApiException"/>.</summary>
    public async IAsyncEnumerable<LiveEnvelope> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            if (_response is null)
            {
                try
                {
                    _response = await _client.OpenStreamAsync(_path, _lastId, ct);
                }
                catch (Exception e) when (e is HttpRequestException || (e is SeismoApiException { Status: { } s } && RetryPolicy.IsTransient(s)))
                {
                    failures++;
                    await Task.Delay(_client.Retry.Backoff(Math.Min(failures, 4), Random.Shared.NextDouble()), ct);
                    continue;
                }
            }
            var body = await _response.Content.ReadAsStreamAsync(ct);
            var frames = SseReader.ReadAsync(body, ct).GetAsyncEnumerator(ct);
            while (true)
            {
                bool more;
                try
                {
                    more = await frames.MoveNextAsync();
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    more = false;
                }
                if (!more) break;
                failures = 0;
                if (frames.Current.Id is { Length: > 0 } id) _lastId = id;
                if (LiveEnvelope.Parse(frames.Current) is { } envelope) yield return envelope;
            }
            await frames.DisposeAsync();
            _response.Dispose();
            _response = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _response?.Dispose();
        return ValueTask.CompletedTask;
    }
}
