using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Cli.Tests.Support;
using Seismo.Cli.Upload;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests;

/// <summary>
/// <c>seismo upload</c> against Seismo's upload API: one request when small,
/// resumable chunks when large, the server's phases followed on <c>/api/uploads/stream</c>.
/// </summary>
public sealed class CliUploadTests(SeismoHost seismo) : IClassFixture<SeismoHost>
{
    private const string Env = "ci";

    [Fact]
    public async Task A_small_report_folder_goes_in_one_request_and_is_followed_to_done()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("upload-small");
        await seismo.Factory.JoinEnvironmentAsync(Env, project);
        var cli = new CliRunner(seismo.Url, key);
        var results = Directory.CreateDirectory(cli.PathOf("test-results")).FullName;
        await File.WriteAllTextAsync(Path.Combine(results, "junit.xml"),
            Junit.Report(("com.acme.A", "one", "passed"), ("com.acme.A", "two", "failed")));

        Assert.Equal(0, await cli.RunAsync("upload", "test-results", "--env", Env, "--project", project.ToString(), "--build", "b-1"));

        Assert.Contains("bytes, one request)", cli.Out.Text);
        Assert.Contains("server: done", cli.Out.Text);
        Assert.Matches(@"Upload \S+ done: \d+ files, 2 tests", cli.Out.Text);
    }

    [Fact]
    public async Task A_large_zip_goes_in_chunks_with_progress_and_every_server_phase()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("upload-chunked");
        await seismo.Factory.JoinEnvironmentAsync(Env, project);
        var cli = new CliRunner(seismo.Url, key);
        var zip = await AllureZipAsync(cli.PathOf("allure.zip"), randomBytes: 2_500_000);

        Assert.Equal(0, await cli.RunAsync("upload", zip, "--env", Env, "--project", project.ToString(), "--build", "b-2",
            "--chunk-size", "1", "--chunked-above", "0"));

        var text = cli.Out.Text;
        Assert.Contains("bytes, chunked)", text);
        Assert.Contains("(100%)", text);
        var phases = new[] { "server: uploading", "server: assembling", "server: done" }.Select(p => text.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.All(phases, i => Assert.True(i >= 0, text));
        Assert.Equal(phases.Order(), phases);
    }

    [Fact]
    public async Task An_interrupted_chunked_upload_resumes_with_only_the_missing_chunks()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("upload-resume");
        await seismo.Factory.JoinEnvironmentAsync(Env, project);
        var cli = new CliRunner(seismo.Url, key);
        cli.Environment["SEISMO_STATE_DIR"] = cli.PathOf("state");
        var zip = await AllureZipAsync(cli.PathOf("allure.zip"), randomBytes: 2_500_000);
        var bytes = await File.ReadAllBytesAsync(zip);
        const int chunk = 1024 * 1024;
        var totalChunks = (bytes.Length + chunk - 1) / chunk;

        // What an earlier run left: a session with its first chunk, remembered where the CLI looks.
        var http = seismo.Factory.ClientWithKey(key);
        var created = await (await http.PostAsJsonAsync($"/api/environments/{Env}/projects/{project}/uploads",
            new { fileName = "allure.zip", totalSize = bytes.Length, totalChunks, buildId = "b-3" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        var first = new ByteArrayContent(bytes, 0, chunk);
        first.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/uploads/{id}/chunks") { Content = first };
        put.Headers.Add("X-Chunk-Index", "0");
        put.Headers.Add("X-Total-Chunks", totalChunks.ToString());
        (await http.SendAsync(put)).EnsureSuccessStatusCode();
        ResumeState.For(new Seismo.Cli.Hosting.CliHost(cli.Out, cli.Error, cli.Environment, false, cli.WorkingDirectory), zip, Env,
            project.ToString(), "b-3").Save(id);

        Assert.Equal(0, await cli.RunAsync("upload", zip, "--env", Env, "--project", project.ToString(), "--build", "b-3",
            "--chunk-size", "1", "--chunked-above", "0"));

        Assert.Contains($"Resuming upload {id}: 1 of {totalChunks} chunks are already there", cli.Out.Text);
        var session = await http.GetFromJsonAsync<JsonElement>($"/api/uploads/{id}");
        Assert.Equal("done", session.GetProperty("phase").GetString());
    }

    /// <summary>An allure-results zip: one result and an incompressible attachment of the given size.</summary>
    private static async Task<string> AllureZipAsync(string path, int randomBytes)
    {
        await using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        await using (var result = new StreamWriter(zip.CreateEntry("0001-result.json").Open()))
            await result.WriteAsync("""{"uuid":"0001","name":"uploads","fullName":"com.acme.UploadTest#uploads","status":"passed","start":1,"stop":2,"labels":[],"attachments":[{"name":"blob","source":"0001-attachment.bin","type":"application/octet-stream"}]}""");
        var noise = new byte[randomBytes];
        new Random(7).NextBytes(noise);
        await using (var attachment = zip.CreateEntry("0001-attachment.bin", CompressionLevel.NoCompression).Open())
            await attachment.WriteAsync(noise);
        return path;
    }
}
