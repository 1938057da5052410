using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>
/// Uploads count against the account's plan like /collect: one observation per run they store, refused uploads never
/// count, and an account over its plan gets 402 without losing what it already sent. Own Seismo: it changes the plan.
/// </summary>
public sealed class UploadPlanLimitTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new(settings: new Dictionary<string, string> { ["Seismo:Allure:Command"] = UploadFixture.MissingAllure });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    [Fact]
    public async Task Streaming_and_chunked_uploads_count_and_are_refused_with_402_over_the_plan()
    {
        var kit = await UploadKit.CreateAsync(_seismo);
        var admin = _seismo.Admin();
        var account = (await admin.GetFromJsonAsync<JsonElement>($"/api/projects/{kit.ProjectId}")).GetProperty("teamId").GetGuid();
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { monthlyObservationLimit = 2 })).EnsureSuccessStatusCode();
        var zip = Zips.Of(("TEST-a.xml", Zips.Junit(("com.acme.A", "one", false))));

        // A refused zip does not count.
        using (var bad = await kit.StreamAsync(Zips.Of(("notes.txt", "no results")), "bad"))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(0, await UsedAsync(admin, account));

        using (var first = await kit.StreamAsync(zip, "b1")) Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(1, await UsedAsync(admin, account));

        // The chunked session is started and its chunks sent while the plan still has room.
        var session = await kit.StartChunkedAsync("c1", zip.Length, 2);
        var id = session.GetProperty("id").GetString()!;
        for (var i = 0; i < 2; i++)
        {
            using var put = await kit.PutChunkAsync(id, i, 2, UploadKit.Chunk(zip, i, 2));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var second = await kit.StreamAsync(zip, "b2")) Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, await UsedAsync(admin, account));

        using (var over = await kit.StreamAsync(zip, "b3"))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, over.StatusCode);
            var error = await over.JsonAsync();
            Assert.Equal("PAYMENT_REQUIRED", error.ErrorCode());
            Assert.Equal("observation_limit_reached", error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        }
        // Nothing of the refused streaming upload stays: no run, and its build id is free again.
        var refusedSession = (await admin.GetFromJsonAsync<JsonElement>("/api/uploads")).GetProperty("data").EnumerateArray()
            .Single(s => s.GetProperty("buildId").GetString() == "b3");
        Assert.Equal("failed", refusedSession.GetProperty("phase").GetString());
        Assert.StartsWith("observation_limit_reached", refusedSession.GetProperty("error").GetString());

        using (var complete = await kit.Client.PostAsync($"/api/uploads/{id}/complete", null))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, complete.StatusCode);
            Assert.Equal("PAYMENT_REQUIRED", (await complete.JsonAsync()).ErrorCode());
        }
        // The chunked session keeps its chunks and can complete once the plan allows.
        var kept = await kit.GetSessionAsync(id);
        Assert.Equal(("uploading", 2), (kept.GetProperty("phase").GetString(), kept.GetProperty("receivedChunks").GetArrayLength()));
        Assert.Equal(2, await UsedAsync(admin, account));
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}")).GetProperty("total").GetInt32());

        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { monthlyObservationLimit = 4 })).EnsureSuccessStatusCode();
        using (var retry = await kit.Client.PostAsync($"/api/uploads/{id}/complete", null)) Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("done", (await kit.WaitFinalAsync(id)).GetProperty("phase").GetString());
        using (var again = await kit.StreamAsync(zip, "b3")) Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(4, await UsedAsync(admin, account));
        Assert.Equal(4, (await admin.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_chunked_upload_refused_after_its_202_gives_its_observation_back()
    {
        var kit = await UploadKit.CreateAsync(_seismo);
        var admin = _seismo.Admin();
        var account = (await admin.GetFromJsonAsync<JsonElement>($"/api/projects/{kit.ProjectId}")).GetProperty("teamId").GetGuid();
        var before = await UsedAsync(admin, account);
        var zip = Zips.Of(("readme.txt", "no results here"));
        var id = (await kit.StartChunkedAsync("empty", zip.Length, 1)).GetProperty("id").GetString()!;
        using (var put = await kit.PutChunkAsync(id, 0, 1, zip)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using (var complete = await kit.Client.PostAsync($"/api/uploads/{id}/complete", null)) Assert.Equal(HttpStatusCode.Accepted, complete.StatusCode);
        var final = await kit.WaitFinalAsync(id);
        Assert.Equal("failed", final.GetProperty("phase").GetString());
        Assert.StartsWith("no_results", final.GetProperty("error").GetString());
        Assert.Equal(before, await UsedAsync(admin, account));
    }

    private static async Task<long> UsedAsync(HttpClient admin, Guid account) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}")).GetProperty("observationsThisMonth").GetInt64();
}
