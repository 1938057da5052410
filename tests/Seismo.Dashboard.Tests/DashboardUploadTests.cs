using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Seismo.Dashboard.Tests.Support;
using Seismo.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Seismo.Dashboard.Tests;

/// <summary>
/// The Uploads view against the upload API (chunked sessions, see the upload API in the README): a session appears
/// when it is created, advances chunk by chunk, and reaches <c>done</c> with its tests parsed, all without a reload.
/// </summary>
public sealed class DashboardUploadTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    static DashboardUploadTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task An_upload_appears_and_advances_to_done_without_a_reload()
    {
        var seismo = fixture.Seismo;
        var (projectId, key) = await seismo.CreateProjectAsync("Uploader");
        await seismo.JoinEnvironmentAsync("ci", projectId);
        var agent = seismo.ClientWithKey(key);
        await using var tab = await fixture.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync(key, "uploads");
        await Expect(page.GetByText("No uploads yet")).ToBeVisibleAsync();
        await tab.MarkAsync();

        var zip = ResultsZip(40);
        var half = zip.Length / 2;
        var created = await agent.PostAsJsonAsync($"/api/environments/ci/projects/{projectId}/uploads",
            new { fileName = "results.zip", totalSize = zip.Length, totalChunks = 2, buildId = "build-42" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        var card = page.Locator($"li.upload[data-upload-id='{id}']");
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToHaveAttributeAsync("data-phase", "uploading");
        await Expect(card).ToContainTextAsync("0 of 2 chunks");

        await PutChunkAsync(agent, id, 0, zip[..half]);
        await Expect(card).ToContainTextAsync("1 of 2 chunks");
        await Expect(card.GetByRole(AriaRole.Progressbar)).Not.ToHaveAttributeAsync("aria-valuenow", "0");
        await PutChunkAsync(agent, id, 1, zip[half..]);
        await Expect(card).ToContainTextAsync("2 of 2 chunks");

        var complete = await agent.PostAsync($"/api/uploads/{id}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        await Expect(card).ToHaveAttributeAsync("data-phase", "done");
        await Expect(card.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(card.Locator("dd").Filter(new() { HasText = "40" })).Not.ToHaveCountAsync(0);
        await tab.AssertNotReloadedAsync();
        await tab.ScreenshotAsync("uploads");
        tab.AssertNoConsoleErrors();
    }

    private static async Task PutChunkAsync(HttpClient agent, string id, int index, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/uploads/{id}/chunks") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Chunk-Index", index.ToString());
        request.Headers.Add("X-Total-Chunks", "2");
        var response = await agent.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"chunk {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A zip holding one JUnit report of <paramref name="tests"/> tests, as CI jobs upload them.</summary>
    private static byte[] ResultsZip(int tests)
    {
        var junit = SyntheticReports.Junit(Enumerable.Range(0, tests).Select(i => new SyntheticCase("com.acme.UploadTest", $"case {i}")));
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("junit/results.xml").Open();
            entry.Write(Encoding.UTF8.GetBytes(junit));
        }
        return buffer.ToArray();
    }
}
