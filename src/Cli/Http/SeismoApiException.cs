using System.Net;
using System.Text.Json;

namespace Seismo.Cli.Http;

/// <summary>Seismo refused a request; <see cref="Message"/> carries the error envelope's message and field.</summary>
public sealed class SeismoApiException(HttpStatusCode? status, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;

    public static async Task<SeismoApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        return new SeismoApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {Describe(body)}");
    }

    /// <summary>The error envelope <c>{"error":{"code","message","details":{"field"}}}</c> as one line, or the raw body.</summary>
    public static string Describe(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                return $"{message ?? "request refused"}{(code is null ? "" : $" ({code})")}";
            }
        }
        catch (JsonException) { }
        return body.Length > 300 ? body[..300] + "…" : body.Length == 0 ? "(no body)" : body;
    }
}
