using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>A reporter's run is one observation of the account's plan, from the same budget as /collect archives.</summary>
public sealed class ReporterPlanTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    [Fact]
    public async Task Reporter_runs_count_against_the_monthly_plan_with_collect_and_are_402_past_it()
    {
        var admin = _seismo.Admin();
        var project = await _seismo.DefaultProjectAsync();
        var account = (await admin.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("teamId").GetGuid();
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { monthlyObservationLimit = 3 })).EnsureSuccessStatusCode();

        // One archive and two reporter runs (one created already closed) use the plan's three observations.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new("a.B", "c")]), project)).StatusCode);
        var open = await admin.OpenRunAsync(project);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/runs", new { projectId = project, status = "passed" })).StatusCode);
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}")).GetProperty("observationsThisMonth").GetInt64());

        // Tests of an open run are part of its observation: they do not count.
        for (var i = 0; i < 5; i++) await admin.PostTestAsync(ReporterClient.Test(open, project, $"A > t{i}"));

        var refused = await admin.PostAsJsonAsync("/api/runs", new { projectId = project, status = "running", branch = "main" });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        var body = await refused.JsonAsync();
        Assert.Equal("PAYMENT_REQUIRED", body.ErrorCode());
        Assert.Equal("observation_limit_reached", body.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.PaymentRequired, (await admin.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new("a.B", "c")]), project)).StatusCode);

        // Nothing of the refused run was kept; the open run still closes (closing is not a new observation).
        var runs = await admin.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(3, runs.GetProperty("total").GetInt32());
        await admin.CloseRunAsync(open, "passed");
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}")).GetProperty("observationsThisMonth").GetInt64());

        // Disabled collection refuses reporter runs too; a raised limit admits them again.
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { dataCollectionEnabled = false, monthlyObservationLimit = 10 })).EnsureSuccessStatusCode();
        var disabled = await admin.PostAsJsonAsync("/api/runs", new { projectId = project, status = "running" });
        Assert.Equal(HttpStatusCode.PaymentRequired, disabled.StatusCode);
        Assert.Equal("data_collection_disabled", (await disabled.JsonAsync()).GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { dataCollectionEnabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/runs", new { projectId = project, status = "running" })).StatusCode);
        Assert.Equal(4, (await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}")).GetProperty("observationsThisMonth").GetInt64());
    }

    [Fact]
    public async Task A_run_refused_for_a_bad_field_or_another_tenant_does_not_count()
    {
        var admin = _seismo.Admin();
        var account = (await admin.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("teamId").GetGuid();
        var project = await _seismo.DefaultProjectAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/runs", new { projectId = project, status = "done" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/runs", new { projectId = Guid.NewGuid(), status = "running" })).StatusCode);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}")).GetProperty("observationsThisMonth").GetInt64());
    }
}
