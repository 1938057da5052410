using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains.Settings;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

public sealed class RetentionSettingsTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Dry_run_only_counts_a_real_run_removes_what_is_past_retention_and_five_records_are_kept()
    {
        var admin = _seismo.Admin();
        var defaults = await admin.GetFromJsonAsync<JsonElement>("/api/settings/retention");
        Assert.Equal((90, 24, false), (defaults.GetProperty("retentionDays").GetInt32(), defaults.GetProperty("intervalHours").GetInt32(),
            defaults.GetProperty("dryRun").GetBoolean()));

        var old = DateTime.UtcNow.AddDays(-10);
        var oldReport = DataFiles.Write(_seismo.DataDir, "reports/default/default/old-build", old);
        var newReport = DataFiles.Write(_seismo.DataDir, "reports/default/default/new-build", DateTime.UtcNow);
        var oldBuild = DataFiles.Write(_seismo.DataDir, $"builds/{Guid.NewGuid():N}/old-build", old);
        var oldUpload = DataFiles.Write(_seismo.DataDir, $"uploads/{Guid.NewGuid():N}", old);
        var newUpload = DataFiles.Write(_seismo.DataDir, $"uploads/{Guid.NewGuid():N}", DateTime.UtcNow.AddDays(-6));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { retentionDays = 7, intervalHours = 12, dryRun = true })).StatusCode);
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/settings/retention");
        Assert.Equal((7, 12, true), (settings.GetProperty("retentionDays").GetInt32(), settings.GetProperty("intervalHours").GetInt32(),
            settings.GetProperty("dryRun").GetBoolean()));

        var dry = await SweepAsync(admin);
        Assert.Equal(("success", 3, 0, true), (dry.GetProperty("status").GetString(), dry.GetProperty("deletedCount").GetInt32(),
            dry.GetProperty("skippedCount").GetInt32(), dry.GetProperty("dryRun").GetBoolean()));
        Assert.False(dry.TryGetProperty("errorMessage", out _));
        Assert.True(Directory.Exists(oldReport) && Directory.Exists(oldBuild) && Directory.Exists(oldUpload));

        // Only dryRun changes; the other settings keep their values.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { dryRun = false })).StatusCode);
        var real = await SweepAsync(admin);
        Assert.Equal((3, false), (real.GetProperty("deletedCount").GetInt32(), real.GetProperty("dryRun").GetBoolean()));
        Assert.False(Directory.Exists(oldReport) || Directory.Exists(oldBuild) || Directory.Exists(oldUpload));
        Assert.True(Directory.Exists(newReport) && Directory.Exists(newUpload));
        Assert.True(real.GetProperty("finishedAt").GetDateTimeOffset() >= real.GetProperty("startedAt").GetDateTimeOffset());

        var ids = new List<string> { dry.GetProperty("id").GetString()!, real.GetProperty("id").GetString()! };
        for (var i = 0; i < 4; i++) ids.Add((await SweepAsync(admin)).GetProperty("id").GetString()!);
        var runs = (await admin.GetFromJsonAsync<JsonElement>("/api/settings/retention/runs")).EnumerateArray().ToList();
        Assert.Equal(ids.AsEnumerable().Reverse().Take(5), runs.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0, runs[0].GetProperty("deletedCount").GetInt32());
        var limited = await admin.GetFromJsonAsync<JsonElement>("/api/settings/retention/runs?limit=2");
        Assert.Equal(ids.AsEnumerable().Reverse().Take(2), limited.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(5, (await admin.GetFromJsonAsync<JsonElement>("/api/settings/retention/runs?limit=50")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { retentionDays = 90, intervalHours = 24 })).StatusCode);
    }

    [Theory]
    [InlineData("""{"retentionDays":0}""", "retentionDays")]
    [InlineData("""{"retentionDays":"7"}""", "retentionDays")]
    [InlineData("""{"intervalHours":0}""", "intervalHours")]
    [InlineData("""{"dryRun":"yes"}""", "dryRun")]
    [InlineData("""{"retentionDays":7,"keep":1}""", "keep")]
    [InlineData("""[1]""", "body")]
    [InlineData("""{nope""", "body")]
    public async Task Bad_retention_settings_name_the_field_and_change_nothing(string json, string field)
    {
        var admin = _seismo.Admin();
        var before = await admin.GetStringAsync("/api/settings/retention");
        var response = await admin.PutAsync("/api/settings/retention", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.BadRequest, field), (response.StatusCode, (await response.JsonAsync()).ErrorField()));
        Assert.Equal(before, await admin.GetStringAsync("/api/settings/retention"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("five")]
    public async Task A_bad_runs_limit_is_refused(string limit)
    {
        var response = await _seismo.Admin().GetAsync($"/api/settings/retention/runs?limit={limit}");
        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (response.StatusCode, (await response.JsonAsync()).ErrorField()));
    }

    [Fact]
    public async Task The_sweep_asks_run_deletion_for_each_project_with_its_own_retention()
    {
        var recorder = new RecordingRunRetention();
        await using var seismo = new SeismoFactory();
        await using var host = seismo.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IRunRetention>(recorder)));
        var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", SeismoFactory.AdminKey);
        var project = (await admin.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("id").GetGuid();
        var posted = await admin.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new("A", "one")]), project);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/api/projects/{project}/settings", new { dataRetentionDays = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { dryRun = true })).StatusCode);

        var before = DateTimeOffset.UtcNow;
        var dry = await SweepAsync(admin);
        var call = Assert.Single(recorder.Calls);
        Assert.Equal((project, true), (call.ProjectId, call.DryRun));
        Assert.InRange(call.Cutoff, before.AddDays(-3).AddSeconds(-5), DateTimeOffset.UtcNow.AddDays(-3));
        Assert.Equal(RecordingRunRetention.Counted, dry.GetProperty("deletedCount").GetInt32());

        recorder.Fail = true;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { dryRun = false })).StatusCode);
        var failed = await SweepAsync(admin);
        Assert.Equal((false, 1, 0), (recorder.Calls[^1].DryRun, failed.GetProperty("skippedCount").GetInt32(), failed.GetProperty("deletedCount").GetInt32()));
    }

    [Fact]
    public async Task The_sweep_is_an_orleans_reminder_that_follows_the_interval()
    {
        // Registered at start, in the reminder table, so it survives restarts.
        Assert.Equal(TimeSpan.FromHours(24), await ReminderPeriodAsync());
        var admin = _seismo.Admin();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { intervalHours = 6 })).StatusCode);
        Assert.Equal(TimeSpan.FromHours(6), await ReminderPeriodAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/settings/retention", new { intervalHours = 24 })).StatusCode);
        Assert.Equal(TimeSpan.FromHours(24), await ReminderPeriodAsync());
    }

    private async Task<TimeSpan?> ReminderPeriodAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            Seismo.Grains.Hosting.SeismoSiloHosting.SqliteConnectionString(_seismo.DataDir));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Period FROM OrleansReminders WHERE ReminderName = 'retention-sweep'";
        return await command.ExecuteScalarAsync() is long ms ? TimeSpan.FromMilliseconds(ms) : null;
    }

    private static async Task<JsonElement> SweepAsync(HttpClient admin)
    {
        var response = await admin.PostAsync("/api/settings/retention/runs", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private sealed class RecordingRunRetention : IRunRetention
    {
        public const int Counted = 4;
        public List<(Guid ProjectId, DateTimeOffset Cutoff, bool DryRun)> Calls { get; } = [];
        public bool Fail { get; set; }

        public Task<int> DeleteRunsBeforeAsync(Guid projectId, DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken)
        {
            lock (Calls) Calls.Add((projectId, cutoff, dryRun));
            if (Fail) throw new IOException("run store busy");
            return Task.FromResult(Counted);
        }
    }
}
