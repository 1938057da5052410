using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>Strategy B end to end: chunks in any order and again, resume from what the session shows, completion.</summary>
public sealed class ChunkedUploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private static byte[] AllureZip() => Zips.FromDirectory(SharedData.CorpusPath("allure", "allure-vitest"));

    [Fact]
    public async Task Chunks_out_of_order_and_repeated_then_interrupted_resumed_and_completed()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var zip = AllureZip();
        const int chunks = 5;
        var session = await kit.StartChunkedAsync("chunked-1", zip.Length, chunks);
        var id = session.GetProperty("id").GetString()!;
        Assert.Equal("uploading", session.GetProperty("phase").GetString());
        Assert.Equal([0, 1, 2, 3, 4], session.GetProperty("missingChunks").EnumerateArray().Select(e => e.GetInt32()));

        foreach (var index in new[] { 3, 0, 3, 4 })
        {
            using var put = await kit.PutChunkAsync(id, index, chunks, UploadKit.Chunk(zip, index, chunks));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        // The client stops here; on resume it asks what is there and sends the rest.
        var resumed = await kit.GetSessionAsync(id);
        Assert.Equal([0, 3, 4], resumed.GetProperty("receivedChunks").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1, 2], resumed.GetProperty("missingChunks").EnumerateArray().Select(e => e.GetInt32()));
        var expectedBytes = new[] { 0, 3, 4 }.Sum(i => UploadKit.Chunk(zip, i, chunks).Length);
        Assert.Equal(expectedBytes, resumed.GetProperty("bytesReceived").GetInt64());

        using (var early = await kit.Client.PostAsync($"/api/uploads/{id}/complete", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            var error = await early.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal([1, 2], error.GetProperty("error").GetProperty("details").GetProperty("missingChunks").EnumerateArray().Select(e => e.GetInt32()));
        }

        foreach (var index in new[] { 2, 1 })
        {
            using var put = await kit.PutChunkAsync(id, index, chunks, UploadKit.Chunk(zip, index, chunks));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using var complete = await kit.Client.PostAsync($"/api/uploads/{id}/complete", null);
        Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        Assert.Equal("assembling", (await complete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString());

        var final = await kit.WaitFinalAsync(id);
        Assert.Equal("done", final.GetProperty("phase").GetString());
        Assert.True(final.GetProperty("testsParsed").GetInt32() > 0);
        Assert.Equal(zip.Length, final.GetProperty("bytesReceived").GetInt64());
        Assert.False(Directory.Exists(Path.Combine(fixture.Seismo.DataDir, "uploads", id)), "the chunks are removed once assembled");
        Assert.True(Directory.Exists(Path.Combine(fixture.Seismo.DataDir, "builds", kit.ProjectId.ToString("N"), "chunked-1")));

        using var late = await kit.PutChunkAsync(id, 0, chunks, UploadKit.Chunk(zip, 0, chunks));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var listed = await kit.Client.GetFromJsonAsync<JsonElement>("/api/uploads");
        Assert.Contains(listed.GetProperty("data").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Bad_chunks_are_refused_with_a_clear_reason()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var session = await kit.StartChunkedAsync("chunked-bad", 10, 2);
        var id = session.GetProperty("id").GetString()!;

        using (var first = await kit.PutChunkAsync(id, 0, 2, [1, 2, 3, 4, 5]))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var different = await kit.PutChunkAsync(id, 0, 2, [9, 9, 9, 9, 9]))
        {
            Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
            Assert.Contains("different bytes", await different.Content.ReadAsStringAsync());
        }
        using (var outOfRange = await kit.PutChunkAsync(id, 2, 2, [1]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
            Assert.Contains("X-Chunk-Index", await outOfRange.Content.ReadAsStringAsync());
        }
        using (var wrongTotal = await kit.PutChunkAsync(id, 1, 3, [1]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongTotal.StatusCode);
            Assert.Contains("X-Total-Chunks", await wrongTotal.Content.ReadAsStringAsync());
        }
        using (var tooMany = await kit.PutChunkAsync(id, 1, 2, [1, 2, 3, 4, 5, 6]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
            Assert.Contains("beyond_total_size", await tooMany.Content.ReadAsStringAsync());
        }
        var unchanged = await kit.GetSessionAsync(id);
        Assert.Equal(5, unchanged.GetProperty("bytesReceived").GetInt64());
        Assert.Equal([1], unchanged.GetProperty("missingChunks").EnumerateArray().Select(e => e.GetInt32()));

        using (var badInit = await kit.Client.PostAsJsonAsync($"{kit.ProjectPath}/uploads", new { fileName = "r.zip", totalSize = -1, totalChunks = 1, buildId = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badInit.StatusCode);
            Assert.Contains("totalSize", await badInit.Content.ReadAsStringAsync());
        }
        using (var duplicate = await kit.Client.PostAsJsonAsync($"{kit.ProjectPath}/uploads", new { fileName = "r.zip", totalSize = 10, totalChunks = 2, buildId = "chunked-bad" }))
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using (var delete = await kit.Client.DeleteAsync($"/api/uploads/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using (var gone = await kit.Client.GetAsync($"/api/uploads/{id}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(fixture.Seismo.DataDir, "uploads", id)));
        // Deleting an unfinished session gives its build id back.
        await kit.StartChunkedAsync("chunked-bad", 10, 2);
    }

    [Fact]
    public async Task A_project_key_sees_only_its_own_sessions_and_a_viewer_cannot_upload()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var mine = await kit.StartChunkedAsync("mine", 10, 1);
        var other = await UploadKit.CreateAsync(fixture.Seismo);
        var theirs = await other.StartChunkedAsync("theirs", 10, 1);
        var key = await (await fixture.Seismo.Admin().PostAsJsonAsync("/api/api-keys", new { projectId = kit.ProjectId, name = "k", role = "viewer" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var viewer = fixture.Seismo.ClientWithKey(key.GetProperty("key").GetString()!);

        var listed = await viewer.GetFromJsonAsync<JsonElement>("/api/uploads");
        var ids = listed.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Contains(mine.GetProperty("id").GetString(), ids);
        Assert.DoesNotContain(theirs.GetProperty("id").GetString(), ids);
        using (var hidden = await viewer.GetAsync($"/api/uploads/{theirs.GetProperty("id").GetString()}"))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var viewerKit = new UploadKit(fixture.Seismo, viewer, kit.EnvId, kit.ProjectSlug, kit.ProjectId);
        using var refused = await viewerKit.PutChunkAsync(mine.GetProperty("id").GetString()!, 0, 1, [1]);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
