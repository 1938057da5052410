using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

/// <summary>Each test has its own Seismo: they change the default account's plan.</summary>
public sealed class AccountLimitsTests
{
    [Fact]
    public async Task The_hourly_bucket_never_over_admits_under_concurrency()
    {
        await using var seismo = new SeismoFactory();
        var admin = seismo.Admin();
        var account = await AccountIdAsync(seismo);
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { tier = "free" })).EnsureSuccessStatusCode();
        var project = await seismo.DefaultProjectAsync();
        var archive = await SyntheticReports.ArchiveAsync([new("a.B", "c")]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 130).Select(_ => admin.PostArchiveAsync(archive, project)));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, limited.Count);
        foreach (var r in limited)
        {
            Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single()) is > 0 and <= 3600);
            Assert.Equal("100", r.Headers.GetValues("RateLimit-Limit").Single());
            Assert.Equal("0", r.Headers.GetValues("RateLimit-Remaining").Single());
            Assert.True(int.Parse(r.Headers.GetValues("RateLimit-Reset").Single()) is > 0 and <= 3600);
            Assert.Equal("RATE_LIMITED", (await r.JsonAsync()).ErrorCode());
        }
        var runs = await admin.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(100, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Disabled_collection_and_an_exhausted_plan_are_402()
    {
        await using var seismo = new SeismoFactory();
        var admin = seismo.Admin();
        var account = await AccountIdAsync(seismo);
        var project = await seismo.DefaultProjectAsync();
        var archive = await SyntheticReports.ArchiveAsync([new("a.B", "c")]);

        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { dataCollectionEnabled = false })).EnsureSuccessStatusCode();
        var disabled = await admin.PostArchiveAsync(archive, project);
        Assert.Equal(HttpStatusCode.PaymentRequired, disabled.StatusCode);
        Assert.Equal("PAYMENT_REQUIRED", (await disabled.JsonAsync()).ErrorCode());

        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { dataCollectionEnabled = true, monthlyObservationLimit = 2 })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostArchiveAsync(archive, project)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostArchiveAsync(archive, project)).StatusCode);
        var exhausted = await admin.PostArchiveAsync(archive, project);
        Assert.Equal(HttpStatusCode.PaymentRequired, exhausted.StatusCode);
        Assert.Contains("limit", (await exhausted.JsonAsync()).ErrorMessage());

        var shown = await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}");
        Assert.Equal(2, shown.GetProperty("observationsThisMonth").GetInt64());
        Assert.Equal("enterprise", shown.GetProperty("tier").GetString());
        var badTier = await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { tier = "platinum" });
        Assert.Equal("tier", (await badTier.JsonAsync()).ErrorField());
    }

    private static async Task<Guid> AccountIdAsync(SeismoFactory seismo) =>
        (await seismo.Admin().GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("teamId").GetGuid();
}
