using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Seismo.Bench;

/// <summary>The HTTP calls every benchmark makes against a running Seismo: post an archive, find or create a project.</summary>
internal static class CollectHttp
{
    /// <summary>Posts an archive as <c>curl -F archive=@…</c> does; the observation id, or null when refused.</summary>
    public static async Task<string?> TryPostAsync(HttpClient http, string projectId, byte[] archive) =>
        (await PostCoreAsync(http, projectId, archive)).Id;

    public static async Task<string> PostAsync(HttpClient http, string projectId, byte[] archive)
    {
        var (id, refusal) = await PostCoreAsync(http, projectId, archive);
        return id ?? throw new HttpRequestException($"/collect refused an archive for project {projectId}: {refusal}");
    }

    private static async Task<(string? Id, string? Refusal)> PostCoreAsync(HttpClient http, string projectId, byte[] archive)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zstd");
        form.Add(file, "archive", "artifacts.tar.zst");
        using var response = await http.PostAsync($"/collect?projectId={projectId}", form);
        if (!response.IsSuccessStatusCode) return (null, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("observation_id").GetString(), null);
    }

    /// <summary>The project created on first start.</summary>
    public static async Task<string> DefaultProjectAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("id").GetString()!;

    public static async Task<string> CreateProjectAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/api/projects", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
