using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Seismo.Tests.Support;

/// <summary>Posting to /collect the way curl -F archive=@a.tar.zst does, and waiting for processing.</summary>
public static class CollectClient
{
    public static async Task<HttpResponseMessage> PostArchiveAsync(this HttpClient http, byte[] archive, Guid? projectId = null, string field = "archive")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, field, "artifacts.tar.zst");
        return await http.PostAsync(projectId is null ? "/collect" : $"/collect?projectId={projectId}", form);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Polls the observation until it leaves pending; returns its final JSON.</summary>
    public static async Task<JsonElement> WaitProcessedAsync(this HttpClient http, string observationId, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var observation = await http.GetFromJsonAsync<JsonElement>($"/api/observations/{observationId}");
            if (observation.GetProperty("status").GetString() != "pending" || DateTime.UtcNow > deadline) return observation;
            await Task.Delay(20);
        }
    }

    public static string ErrorCode(this JsonElement body) => body.GetProperty("error").GetProperty("code").GetString()!;

    public static string ErrorMessage(this JsonElement body) => body.GetProperty("error").GetProperty("message").GetString()!;

    public static string? ErrorField(this JsonElement body) =>
        body.GetProperty("error").TryGetProperty("details", out var d) && d.TryGetProperty("field", out var f) ? f.GetString() : null;
}
