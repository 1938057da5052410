using Seismo.Domain.Settings;
using Seismo.Grains.Settings;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

public sealed class SettingsPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retention_expires_only_what_was_last_written_before_the_cutoff()
    {
        var candidates = new[]
        {
            new SweepCandidate("report", "a", Now.AddDays(-10)),
            new SweepCandidate("report", "b", Now.AddDays(-7).AddSeconds(1)),
            new SweepCandidate("upload", "c", Now.AddDays(-7).AddSeconds(-1)),
            new SweepCandidate("build", "d", Now),
        };
        Assert.Equal(["a", "c"], RetentionPlanner.Expired(candidates, Now, 7).Select(c => c.Path));
        Assert.Empty(RetentionPlanner.Expired(candidates, Now, 30));
        Assert.Equal(Now.AddDays(-1), RetentionPlanner.Cutoff(Now, 0));
    }

    [Fact]
    public void Disk_breakdown_groups_by_env_and_project_and_keeps_the_top_entries()
    {
        var files = new List<(string, long)>
        {
            ("reports/prod/checkout/b1/index.html", 100),
            ("reports/prod/checkout/b2/data/x.json", 50),
            ("builds/0f8fad5bd9cb469fa16570867728950e/b1/junit.xml", 25),
            ("archives/0f8fad5bd9cb469fa16570867728950e/run.tar.zst", 5),
            ("reports/staging/search/b1/index.html", 400),
            ("reports/other/hidden/b1/index.html", 1000),
            ("seismo.db", 9999),
            ("uploads/s1/chunk-0", 777),
        };
        string? Label(string? env, string dir) => (env, dir) switch
        {
            ("prod", "checkout") or (null, "0f8fad5bd9cb469fa16570867728950e") => "prod/checkout",
            ("staging", "search") => "staging/search",
            _ => null,
        };
        var breakdown = DiskBreakdown.Compute(files, Label);
        Assert.Equal([new DiskEntry("staging/search", 400), new DiskEntry("prod/checkout", 180)], breakdown);

        var many = Enumerable.Range(0, 30).Select(i => ($"reports/e/p{i}/b/f", (long)i));
        var top = DiskBreakdown.Compute(many, (env, dir) => $"{env}/{dir}");
        Assert.Equal(DiskBreakdown.Top, top.Count);
        Assert.Equal("e/p29", top[0].Path);
        Assert.Equal(10, top[^1].Bytes);
    }

    [Fact]
    public void Disk_alert_fires_on_crossing_up_and_rearms_below()
    {
        Assert.Equal(new DiskAlertCheck(90, true, true), DiskAlert.Evaluate(false, 1000, 100, 85));
        Assert.Equal(new DiskAlertCheck(90, true, false), DiskAlert.Evaluate(true, 1000, 100, 85));
        Assert.Equal(new DiskAlertCheck(50, false, false), DiskAlert.Evaluate(true, 1000, 500, 85));
        Assert.Equal(new DiskAlertCheck(85, true, true), DiskAlert.Evaluate(false, 100, 15, 85));
        Assert.Equal(new DiskAlertCheck(0, false, false), DiskAlert.Evaluate(false, 0, 0, 0));
        Assert.True(DiskAlert.Evaluate(false, 1000, 1000, 0).Crossed);
        Assert.False(DiskAlert.Evaluate(false, 1000, 1, 100).Crossed);
    }

    [Theory]
    [InlineData("3.18.0", null)]
    [InlineData("0.0.1", null)]
    [InlineData("10.20.30", null)]
    [InlineData("3.4.0-beta.1", "prerelease")]
    [InlineData("3.4.0-rc.1+build.5", "prerelease")]
    [InlineData("3.4.0+build.5", "invalid_format")]
    [InlineData("3.4", "invalid_format")]
    [InlineData("v3.4.0", "invalid_format")]
    [InlineData("03.4.0", "invalid_format")]
    [InlineData("latest", "invalid_format")]
    [InlineData("3.4.0 ", "invalid_format")]
    [InlineData("", "invalid_format")]
    public void Release_versions_are_major_minor_patch_only(string text, string? problem) =>
        Assert.Equal(problem, ReleaseVersion.Problem(text));

    [Fact]
    public void Sweeper_removes_expired_directories_of_each_kind_and_never_in_a_dry_run()
    {
        var dataDir = TempDir.Create("sweep");
        var old = DateTime.UtcNow.AddDays(-30);
        var oldReport = DataFiles.Write(dataDir, "reports/prod/checkout/b1", old);
        var newReport = DataFiles.Write(dataDir, "reports/prod/checkout/b2", DateTime.UtcNow);
        var oldBuild = DataFiles.Write(dataDir, "builds/0f8fad5bd9cb469fa16570867728950e/b1", old);
        var oldUpload = DataFiles.Write(dataDir, "uploads/s1", old);
        // An old directory with one fresh file is still being written.
        var touched = DataFiles.Write(dataDir, "uploads/s2", old);
        File.WriteAllText(Path.Combine(touched, "chunk-9"), "new");
        var sweeper = new RetentionSweeper(dataDir);

        Assert.Equal(new FileSweepResult(3, 0), sweeper.Sweep(DateTimeOffset.UtcNow, 7, dryRun: true));
        Assert.True(Directory.Exists(oldReport) && Directory.Exists(oldBuild) && Directory.Exists(oldUpload));

        Assert.Equal(new FileSweepResult(3, 0), sweeper.Sweep(DateTimeOffset.UtcNow, 7, dryRun: false));
        Assert.False(Directory.Exists(oldReport) || Directory.Exists(oldBuild) || Directory.Exists(oldUpload));
        Assert.True(Directory.Exists(newReport) && Directory.Exists(touched));
        // The emptied project directory goes too; the kind's root stays.
        Assert.False(Directory.Exists(Path.Combine(dataDir, "builds", "0f8fad5bd9cb469fa16570867728950e")));
        Assert.True(Directory.Exists(Path.Combine(dataDir, "builds")));
        Assert.Equal(new FileSweepResult(0, 0), sweeper.Sweep(DateTimeOffset.UtcNow, 7, dryRun: false));
    }
}

/// <summary>Directories with a few files, dated as if last written at a given time.</summary>
internal static class DataFiles
{
    public static string Write(string dataDir, string relative, DateTime writtenUtc, int bytes = 1000)
    {
        var dir = Path.Combine(dataDir, relative);
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllBytes(Path.Combine(dir, "index.html"), new byte[bytes]);
        File.WriteAllBytes(Path.Combine(dir, "data", "results.json"), new byte[bytes]);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, writtenUtc);
        foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)) Directory.SetLastWriteTimeUtc(sub, writtenUtc);
        Directory.SetLastWriteTimeUtc(dir, writtenUtc);
        return dir;
    }
}
