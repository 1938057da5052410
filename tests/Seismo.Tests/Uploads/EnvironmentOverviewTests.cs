using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>The overview groups projects by the environments the environment API gives them.</summary>
public sealed class EnvironmentOverviewTests
{
    [Fact]
    public async Task Joining_renaming_and_leaving_an_environment_show_in_the_overview()
    {
        await using var seismo = new SeismoFactory();
        var admin = seismo.Admin();
        (await admin.PostAsJsonAsync("/api/environments", new { name = "QA", id = "qa" })).EnsureSuccessStatusCode();
        var project = await (await admin.PostAsJsonAsync("/api/environments/qa/projects", new { name = "Billing" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var projectId = project.GetProperty("id").GetGuid();
        var key = (await (await admin.PostAsJsonAsync("/api/api-keys", new { projectId, name = "agent", role = "developer" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var agent = seismo.ClientWithKey(key);
        var archive = await SyntheticReports.ArchiveAsync([new("com.acme.Bill", "charges", "failed"), new("com.acme.Bill", "refunds")]);
        await agent.WaitProcessedAsync((await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!);

        Assert.Equal(("qa", "QA"), await EnvironmentOfBuildAsync(admin, projectId));
        (await admin.PatchAsJsonAsync("/api/environments/qa", new { name = "Quality" })).EnsureSuccessStatusCode();
        Assert.Equal(("qa", "Quality"), await EnvironmentOfBuildAsync(admin, projectId));
        (await admin.DeleteAsync($"/api/environments/qa/projects/{projectId}")).EnsureSuccessStatusCode();
        Assert.Equal(("default", "Default"), await EnvironmentOfBuildAsync(admin, projectId));
    }

    private static async Task<(string?, string?)> EnvironmentOfBuildAsync(HttpClient admin, Guid projectId)
    {
        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/overview");
        var build = overview.GetProperty("recentBuilds").EnumerateArray().First(b => b.GetProperty("projectId").GetString() == projectId.ToString());
        return (build.GetProperty("envId").GetString(), build.GetProperty("envName").GetString());
    }
}
