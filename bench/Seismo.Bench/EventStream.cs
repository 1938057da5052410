using System.Net.Http.Headers;
using System.Text;

namespace Seismo.Bench;

/// <summary>One event of a text/event-stream.</summary>
internal sealed record StreamEvent(string? Type, string? Id, string Data);

/// <summary>
/// Follows a project's SSE stream in the background, as a dashboard would: hands every event to a callback and, if
/// the server ends the stream (a client that fell behind is cut off), reconnects with <c>Last-Event-ID</c>.
/// </summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _url;
    private readonly Action<StreamEvent> _onEvent;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private string? _lastId;

    private EventStream(HttpClient http, string url, Action<StreamEvent> onEvent) => (_http, _url, _onEvent) = (http, url, onEvent);

    public int Reconnects { get; private set; }
    public DateTime LastEventAt { get; private set; } = DateTime.UtcNow;

    public static async Task<EventStream> OpenAsync(HttpClient http, string url, Action<StreamEvent> onEvent)
    {
        var stream = new EventStream(http, url, onEvent);
        stream._reader = Task.Run(stream.RunAsync);
        await stream._connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return stream;
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, _url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (_lastId is not null) request.Headers.Add("Last-Event-ID", _lastId);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                _connected.TrySetResult();
                await ReadAsync(await response.Content.ReadAsStreamAsync(_stop.Token));
            }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                await Task.Delay(200);
            }
            if (!_stop.IsCancellationRequested) Reconnects++;
        }
    }

    private async Task ReadAsync(Stream body)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? type = null, id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    if (id is not null) _lastId = id;
                    LastEventAt = DateTime.UtcNow;
                    _onEvent(new StreamEvent(type, id, data.ToString()));
                }
                (type, id) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith(':')) continue;
            else if (line.StartsWith("event:")) type = line[6..].Trim();
            else if (line.StartsWith("id:")) id = line[3..].Trim();
            else if (line.StartsWith("data:")) data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _reader; } catch (OperationCanceledException) { }
    }
}
