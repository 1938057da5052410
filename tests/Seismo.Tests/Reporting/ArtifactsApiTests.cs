using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Domain.Reporting;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>POST /api/upload and the signed links: formats by content, caps by type, ranges, expiry and tampering.</summary>
public sealed class ArtifactsApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Enumerable.Range(0, 1000).Select(i => (byte)i)];

    private static MultipartFormDataContent Form(byte[] file, string fileName, string type, string runId, Guid projectId, string? testId = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(type), "type" },
            { new StringContent(runId), "runId" },
            { new StringContent(projectId.ToString()), "projectId" },
        };
        if (testId is not null) form.Add(new StringContent(testId), "testId");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        return form;
    }

    private async Task<(HttpClient Http, Guid ProjectId, string RunId)> RunAsync(string name)
    {
        var (projectId, key) = await _seismo.CreateProjectAsync(name);
        var http = _seismo.ClientWithKey(key);
        return (http, projectId, await http.OpenRunAsync(projectId));
    }

    [Fact]
    public async Task A_screenshot_is_stored_and_served_through_its_signed_link_with_ranges()
    {
        var (http, projectId, runId) = await RunAsync("artifacts-serve");
        var testId = (await http.PostTestAsync(ReporterClient.Test(runId, projectId, "A > b"))).GetProperty("id").GetString();
        var response = await http.PostAsync("/api/upload", Form(Png, "screenshot.png", "screenshot", runId, projectId, testId));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var artifact = await response.JsonAsync();
        Assert.StartsWith("artifact_", artifact.GetProperty("id").GetString());
        Assert.Equal("screenshot", artifact.GetProperty("type").GetString());
        Assert.Equal("screenshot.png", artifact.GetProperty("fileName").GetString());
        Assert.Equal(Png.Length, artifact.GetProperty("fileSize").GetInt64());
        Assert.Equal("image/png", artifact.GetProperty("mimeType").GetString());
        Assert.True(artifact.GetProperty("expiresAt").GetDateTimeOffset() > artifact.GetProperty("createdAt").GetDateTimeOffset());

        var url = new Uri(artifact.GetProperty("url").GetString()!);
        var anonymous = _seismo.CreateClient();
        var whole = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("image/png", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Png, await whole.Content.ReadAsByteArrayAsync());

        var range = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        range.Headers.Range = new RangeHeaderValue(8, 15);
        var part = await anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(Png[8..16], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(Png.Length, part.Content.Headers.ContentRange!.Length);
    }

    [Fact]
    public async Task Tampered_and_expired_links_are_403s()
    {
        var (http, projectId, runId) = await RunAsync("artifacts-signature");
        var artifact = await (await http.PostAsync("/api/upload", Form(Png, "s.png", "screenshot", runId, projectId))).JsonAsync();
        var url = new Uri(artifact.GetProperty("url").GetString()!);
        var anonymous = _seismo.CreateClient();
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var expires = long.Parse(query["expires"]!);
        var token = query["token"]!;

        var longer = await anonymous.GetAsync($"{url.AbsolutePath}?expires={expires + 3600}&token={token}");
        Assert.Equal(HttpStatusCode.Forbidden, longer.StatusCode);
        Assert.Equal("FORBIDDEN", (await longer.JsonAsync()).ErrorCode());
        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"{url.AbsolutePath}?expires={expires}&token={flipped}")).StatusCode);
        var otherFile = url.AbsolutePath.Replace("artifact_", "artifact_x");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"{otherFile}{url.Query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url.AbsolutePath)).StatusCode);

        // A link signed with the server's key whose time is up.
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(_seismo.DataDir, "artifact-signing.key")));
        var expired = new ArtifactUrlSigner(key).SignedPath(url.AbsolutePath, DateTimeOffset.UtcNow.AddSeconds(-1));
        var late = await anonymous.GetAsync(expired);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Contains("expired", (await late.JsonAsync()).ErrorMessage());
        var fresh = new ArtifactUrlSigner(key).SignedPath(url.AbsolutePath, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task Formats_are_checked_by_content_and_sizes_by_type()
    {
        var (http, projectId, runId) = await RunAsync("artifacts-formats");
        var text = "not an image"u8.ToArray();
        var disguised = await http.PostAsync("/api/upload", Form(text, "screenshot.png", "screenshot", runId, projectId));
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
        Assert.Equal("file", (await disguised.JsonAsync()).ErrorField());
        // A real PNG is not a trace, whatever its name.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/upload", Form(Png, "trace.zip", "trace", runId, projectId))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/upload", Form(Png, "s.exe", "screenshot", runId, projectId))).StatusCode);
        var zip = new byte[] { (byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0 };
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/upload", Form(zip, "trace.zip", "trace", runId, projectId))).StatusCode);
        var badType = await http.PostAsync("/api/upload", Form(Png, "s.png", "photo", runId, projectId));
        Assert.Equal("type", (await badType.JsonAsync()).ErrorField());

        var big = new byte[5 * 1024 * 1024 + 1];
        Png.CopyTo(big, 0);
        var tooLarge = await http.PostAsync("/api/upload", Form(big, "big.png", "screenshot", runId, projectId));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", (await tooLarge.JsonAsync()).ErrorCode());
        Assert.Empty(Directory.GetFiles(Path.Combine(_seismo.DataDir, "artifacts", "tmp")));
    }

    [Fact]
    public async Task Uploads_are_checked_against_the_run_and_the_callers_project()
    {
        var (http, projectId, runId) = await RunAsync("artifacts-tenant");
        var (otherProject, otherKey) = await _seismo.CreateProjectAsync("artifacts-tenant-other");
        var other = _seismo.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/api/upload", Form(Png, "s.png", "screenshot", runId, projectId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/api/upload", Form(Png, "s.png", "screenshot", runId, otherProject))).StatusCode);
        var missingRun = new MultipartFormDataContent { { new StringContent("screenshot"), "type" }, { new StringContent(projectId.ToString()), "projectId" },
            { new ByteArrayContent(Png), "file", "s.png" } };
        Assert.Equal("runId", (await (await http.PostAsync("/api/upload", missingRun)).JsonAsync()).ErrorField());
        var wrongTest = await http.PostAsync("/api/upload", Form(Png, "s.png", "screenshot", runId, projectId, "r_AAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Equal("testId", (await wrongTest.JsonAsync()).ErrorField());
    }
}
