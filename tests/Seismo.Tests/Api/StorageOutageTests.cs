using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Seismo.Grains.Hosting;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

/// <summary>
/// Seismo runs as its own process here: SQLite coordinates locks between processes through the file system, which is
/// the outage a real deployment sees (another process holding the database).
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task A_locked_store_answers_503_with_retry_after_and_loses_nothing_accepted_before()
    {
        await using var seismo = await SeismoProcess.StartAsync(environment: new Dictionary<string, string> { ["Seismo__StoreTimeoutSeconds"] = "1" });
        var admin = seismo.Client();
        var project = (await admin.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("id").GetGuid();
        var archive = await SyntheticReports.ArchiveAsync([new("a.B", "c")]);
        var before = await (await admin.PostArchiveAsync(archive, project)).JsonAsync();
        await admin.WaitProcessedAsync(before.GetProperty("observation_id").GetString()!);

        HttpResponseMessage during;
        await using (var blocker = new SqliteConnection(SeismoSiloHosting.SqliteConnectionString(seismo.DataDir)))
        {
            await blocker.OpenAsync();
            await using var exclusive = blocker.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
            during = await admin.PostArchiveAsync(archive, project);
            // A pooled connection keeps an open transaction when disposed: end it explicitly.
            exclusive.CommandText = "ROLLBACK";
            await exclusive.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.True(during.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("SERVICE_UNAVAILABLE", (await during.JsonAsync()).ErrorCode());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostArchiveAsync(archive, project)).StatusCode);
        var runs = await admin.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(2, runs.GetProperty("total").GetInt32());
    }
}
