using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Domain.Security;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

public sealed class DiskSettingsTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Disk_usage_counts_the_data_dir_and_breaks_it_down_by_environment_and_project()
    {
        var (project, _) = await _seismo.CreateProjectAsync("Disk Heavy");
        var slug = (await _seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/projects/{project}")).GetProperty("slug").GetString()!;
        DataFiles.Write(_seismo.DataDir, $"reports/default/{slug}/b1", DateTime.UtcNow, bytes: 300_000);
        DataFiles.Write(_seismo.DataDir, $"builds/{project:N}/b1", DateTime.UtcNow, bytes: 100_000);
        // Another tenant's (unknown) project is not shown.
        DataFiles.Write(_seismo.DataDir, $"builds/{Guid.NewGuid():N}/b1", DateTime.UtcNow, bytes: 500_000);

        var disk = await _seismo.Admin().GetFromJsonAsync<JsonElement>("/api/settings/disk");
        var used = disk.GetProperty("usedBytes").GetInt64();
        var free = disk.GetProperty("freeBytes").GetInt64();
        var total = disk.GetProperty("totalBytes").GetInt64();
        Assert.True(used >= 1_800_000, $"usedBytes {used}");
        Assert.True(total > 0 && free > 0 && free <= total, $"free {free} total {total}");
        var breakdown = disk.GetProperty("breakdown").EnumerateArray().ToList();
        Assert.True(breakdown.Count <= 20);
        var heavy = breakdown.First();
        Assert.Equal($"default/{slug}", heavy.GetProperty("path").GetString());
        Assert.Equal(800_000, heavy.GetProperty("bytes").GetInt64());
        Assert.Equal(breakdown.Select(b => b.GetProperty("bytes").GetInt64()).OrderDescending(), breakdown.Select(b => b.GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task Crossing_the_threshold_raises_one_notification_until_usage_falls_below_again()
    {
        var admin = _seismo.Admin();
        Assert.Equal(85, (await admin.GetFromJsonAsync<JsonElement>("/api/settings/disk/notification-threshold")).GetProperty("thresholdPercent").GetInt32());

        foreach (var bad in new object[] { new { thresholdPercent = 101 }, new { thresholdPercent = -1 }, new { thresholdPercent = "50" }, new { }, new { thresholdPercent = 50, extra = 1 } })
        {
            var response = await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.JsonAsync()).ErrorField());
        }
        Assert.Equal(85, (await admin.GetFromJsonAsync<JsonElement>("/api/settings/disk/notification-threshold")).GetProperty("thresholdPercent").GetInt32());

        // 0%: any file system is at or above it, so this crosses; setting it again does not notify twice.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", new { thresholdPercent = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", new { thresholdPercent = 0 })).StatusCode);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/settings/disk/notification-threshold")).GetProperty("thresholdPercent").GetInt32());
        var alerts = await DiskAlertsAsync(admin);
        var alert = Assert.Single(alerts);
        Assert.Equal(("system", "warning"), (alert.GetProperty("category").GetString(), alert.GetProperty("severity").GetString()));
        Assert.StartsWith("Disk usage at ", alert.GetProperty("title").GetString());
        Assert.Equal(0, alert.GetProperty("payload").GetProperty("thresholdPercent").GetInt32());

        // 100%: below again (this file system is not full), which re-arms the alert; 0% crosses again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", new { thresholdPercent = 100 })).StatusCode);
        Assert.Single(await DiskAlertsAsync(admin));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", new { thresholdPercent = 0 })).StatusCode);
        Assert.Equal(2, (await DiskAlertsAsync(admin)).Count);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/disk/notification-threshold", new { thresholdPercent = 85 })).StatusCode);
    }

    [Fact]
    public async Task Another_accounts_admin_manages_its_own_keys_but_not_the_servers_settings()
    {
        var grains = _seismo.Services.GetRequiredService<IGrainFactory>();
        var accountId = Guid.NewGuid();
        var account = grains.GetGrain<IAccountGrain>(accountId);
        await account.CreateAsync("tenant-b", Tier.Team);
        var plaintext = ApiKeyText.Generate();
        await account.AddKeyAsync(new ApiKeyInfo(Guid.NewGuid(), accountId, null, "b admin", Role.Admin, ApiKeyText.HashHex(plaintext),
            ApiKeyText.Mask(plaintext), true, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        var tenantB = _seismo.ClientWithKey(plaintext);

        var keys = await tenantB.GetFromJsonAsync<JsonElement>("/api/settings/apikeys");
        Assert.Equal("b admin", Assert.Single(keys.EnumerateArray()).GetProperty("name").GetString());
        foreach (var path in new[] { "/api/settings/disk", "/api/settings/retention", "/api/settings/allure" })
            Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.GetAsync(path)).StatusCode);
        var overview = await tenantB.GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal(0, overview.GetProperty("summary").GetProperty("totalProjects").GetInt32());
    }

    // Only the alerts this test causes: a machine whose disk is really above the default 85% has raised one of its own.
    private static async Task<List<JsonElement>> DiskAlertsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/notifications?limit=0")).EnumerateArray()
            .Where(n => n.GetProperty("category").GetString() == "system" && n.GetProperty("title").GetString()!.StartsWith("Disk usage")
                && n.GetProperty("payload").GetProperty("thresholdPercent").GetInt32() == 0).ToList();
}
