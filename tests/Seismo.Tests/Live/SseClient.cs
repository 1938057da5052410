using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Seismo.Tests.Live;

/// <summary>One frame of a text/event-stream: an event or a comment.</summary>
public sealed record SseFrame(string? Type, string? Id, string Data, string? Comment)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
    public long Sequence => long.Parse(Id!);
}

/// <summary>A minimal EventSource: reads frames off a real HTTP response as they arrive.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseFrame> _frames = Channel.CreateUnbounded<SseFrame>();
    private readonly Task _reader;

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        _reader = Task.Run(ReadAsync);
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseClient> OpenAsync(HttpClient http, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response);
    }

    /// <summary>The next event frame (comments skipped unless asked for), or a failure after the timeout.</summary>
    public async Task<SseFrame> NextAsync(bool comments = false, int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(timeout.Token);
            if (frame.Comment is null || comments) return frame;
        }
    }

    /// <summary>Event frames until one of <paramref name="type"/> arrives (inclusive).</summary>
    public async Task<List<SseFrame>> UntilAsync(string type, Func<SseFrame, bool>? match = null)
    {
        var frames = new List<SseFrame>();
        while (true)
        {
            var frame = await NextAsync();
            frames.Add(frame);
            if (frame.Type == type && (match?.Invoke(frame) ?? true)) return frames;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? type = null, id = null, comment = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0 || comment is not null) await _frames.Writer.WriteAsync(new SseFrame(type, id, data.ToString(), comment));
                    (type, id, comment) = (null, null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':')) comment = line[1..].Trim();
                else if (line.StartsWith("event:")) type = line[6..].Trim();
                else if (line.StartsWith("id:")) id = line[3..].Trim();
                else if (line.StartsWith("data:")) data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        finally { _frames.Writer.TryComplete(); }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _response.Dispose();
        try { await _reader; } catch { /* the stream was cut on purpose */ }
    }
}
