using System.Text;

namespace Seismo.Cli.Http;

/// <summary>One server-sent event: its <c>event:</c> type (null when the frame has none), <c>id:</c> and joined <c>data:</c>.</summary>
public sealed record SseFrame(string? Event, string? Id, string Data);

/// <summary>Reads server-sent event frames from a response body, per the WHATWG event-stream rules the CLI needs.</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseFrame> ReadAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? type = null, id = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData) yield return new SseFrame(type, id, data.ToString());
                type = null;
                id = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':') continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data":
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }
}
