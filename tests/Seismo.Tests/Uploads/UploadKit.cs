using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seismo.Api.Uploads;
using Seismo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Seismo.Tests.Uploads;

/// <summary>An environment with a project in it, and the calls the upload tests make.</summary>
public sealed class UploadKit(SeismoFactory seismo, HttpClient client, string envId, string projectSlug, Guid projectId)
{
    public SeismoFactory Seismo => seismo;
    public HttpClient Client => client;
    public string EnvId => envId;
    public string ProjectSlug => projectSlug;
    public Guid ProjectId => projectId;
    public string ProjectPath => $"/api/environments/{envId}/projects/{projectSlug}";

    public static async Task<UploadKit> CreateAsync(SeismoFactory seismo, HttpClient? client = null)
    {
        client ??= seismo.Admin();
        var envId = "env-" + Guid.NewGuid().ToString("N")[..8];
        (await client.PostAsJsonAsync("/api/environments", new { id = envId, name = "Env " + envId })).EnsureSuccessStatusCode();
        var project = await (await client.PostAsJsonAsync($"/api/environments/{envId}/projects", new { name = "Upload " + envId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        return new UploadKit(seismo, client, envId, project.GetProperty("slug").GetString()!, project.GetProperty("id").GetGuid());
    }

    public Task<HttpResponseMessage> StreamAsync(byte[] zip, string buildId, string contentType = "application/zip")
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync($"{ProjectPath}/upload?buildId={Uri.EscapeDataString(buildId)}", content);
    }

    public async Task<JsonElement> StartChunkedAsync(string buildId, long totalSize, int totalChunks, string fileName = "results.zip")
    {
        var response = await client.PostAsJsonAsync($"{ProjectPath}/uploads", new { fileName, totalSize, totalChunks, buildId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> PutChunkAsync(string id, int index, int total, byte[] bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/uploads/{id}/chunks") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-Chunk-Index", index.ToString());
        request.Headers.Add("X-Total-Chunks", total.ToString());
        return client.SendAsync(request);
    }

    public async Task<JsonElement> GetSessionAsync(string id) => await client.GetFromJsonAsync<JsonElement>($"/api/uploads/{id}");

    /// <summary>Waits until background processing of completed uploads and report generation have finished.</summary>
    public async Task<JsonElement> WaitFinalAsync(string id, int timeoutSeconds = 60)
    {
        await seismo.Services.GetRequiredService<UploadProcessor>().DrainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var session = await GetSessionAsync(id);
            if (session.GetProperty("phase").GetString() is "done" or "failed") return session;
            if (DateTime.UtcNow > deadline) Assert.Fail($"session {id} did not finish: {session}");
            await Task.Delay(50);
        }
    }

    public static byte[] Chunk(byte[] data, int index, int chunks)
    {
        var size = (data.Length + chunks - 1) / chunks;
        var start = index * size;
        return data[start..Math.Min(data.Length, start + size)];
    }
}

/// <summary>Zips built in memory for the tests.</summary>
public static class Zips
{
    public static byte[] FromDirectory(string dir, string prefix = "")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                zip.CreateEntryFromFile(file, prefix + Path.GetRelativePath(dir, file).Replace('\\', '/'));
        }
        return buffer.ToArray();
    }

    public static byte[] Of(params (string Name, string Content)[] files) => Of(files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Content))).ToArray());

    public static byte[] Of(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }
        return buffer.ToArray();
    }

    public static string Junit(params (string ClassName, string Name, bool Failed)[] cases)
    {
        var text = new StringBuilder("<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"").Append(cases.Length).Append("\">\n");
        foreach (var (c, n, failed) in cases)
        {
            text.Append($"  <testcase classname=\"{c}\" name=\"{n}\" time=\"0.01\">");
            if (failed) text.Append("<failure message=\"boom\">trace</failure>");
            text.Append("</testcase>\n");
        }
        return text.Append("</testsuite>\n").ToString();
    }

    public static string AllureResult(string name, string fullName, string status, string? historyId = null, long start = 1_700_000_000_000,
        string labels = "[]", string extra = "") =>
        $$"""
        {"uuid":"{{Guid.NewGuid()}}","historyId":"{{historyId ?? fullName}}","name":"{{name}}","fullName":"{{fullName}}","status":"{{status}}",
         "start":{{start}},"stop":{{start + 25}},"labels":{{labels}}{{extra}}}
        """;
}
