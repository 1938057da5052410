using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Seismo.Api.Live;

/// <summary>
/// Writes a <c>text/event-stream</c> response by hand: the framework's SSE result (ASP.NET Core 10) cannot interleave
/// comment lines, and proxies need a comment heartbeat on a quiet stream. Every frame is flushed at once.
/// </summary>
public sealed class SseStream
{
    private readonly HttpResponse _response;

    private SseStream(HttpResponse response) => _response = response;

    public static async Task<SseStream> OpenAsync(HttpContext http)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer this response
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(http.RequestAborted);
        return new SseStream(response);
    }

    public Task WriteEventAsync(string? type, string? id, string data, CancellationToken ct)
    {
        var frame = new StringBuilder();
        if (type is not null) frame.Append("event: ").Append(type).Append('\n');
        if (id is not null) frame.Append("id: ").Append(id).Append('\n');
        // A data line may not contain a newline; each line of the payload gets its own "data:" field.
        foreach (var line in data.Split('\n')) frame.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        frame.Append('\n');
        return WriteAsync(frame.ToString(), ct);
    }

    public Task WriteCommentAsync(string text, CancellationToken ct) => WriteAsync($": {text}\n\n", ct);

    public Task WriteRetryAsync(TimeSpan interval, CancellationToken ct) => WriteAsync($"retry: {(int)interval.TotalMilliseconds}\n\n", ct);

    private async Task WriteAsync(string text, CancellationToken ct)
    {
        await _response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await _response.Body.FlushAsync(ct);
    }
}
