using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Observability;

/// <summary>A Seismo whose /metrics asks for an admin key (Seismo:Metrics:RequireKey), with one developer and one viewer key.</summary>
public sealed class GuardedMetricsFixture : IAsyncLifetime
{
    public SeismoFactory Seismo { get; } = new(settings: new Dictionary<string, string> { ["Seismo:Metrics:RequireKey"] = "true" });

    public string DeveloperKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        (_, DeveloperKey) = await Seismo.CreateProjectAsync("operators-dev");
        (_, ViewerKey) = await Seismo.CreateProjectAsync("operators-viewer", role: "viewer");
    }

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}

/// <summary>The Orleans dashboard and /metrics are for admin keys; /health is for anyone (load balancers).</summary>
public sealed class OperatorAccessTests(GuardedMetricsFixture fixture) : IClassFixture<GuardedMetricsFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private HttpClient NoRedirects(string? key = null)
    {
        var http = _seismo.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/index.min.js")]
    [InlineData("/dashboard/ClusterStats")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task The_orleans_dashboard_needs_an_admin_key(string path)
    {
        using var anonymous = await NoRedirects().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await anonymous.JsonAsync()).ErrorCode());
        using var wrongKey = await NoRedirects("smo_not_a_key_at_all_0000000000000000").GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        foreach (var key in new[] { fixture.DeveloperKey, fixture.ViewerKey })
        {
            using var refused = await NoRedirects(key).GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("FORBIDDEN", (await refused.JsonAsync()).ErrorCode());
        }
        using var admin = await NoRedirects(SeismoFactory.AdminKey).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task An_admin_sees_the_dashboard_page_and_its_data_about_the_running_silo()
    {
        var admin = _seismo.Admin();
        using var page = await admin.GetAsync("/dashboard/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync());
        Assert.Equal("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());

        // The counters are sampled every second: the first sample after start may not have the silo yet.
        JsonElement counters = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            counters = await admin.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");
            if (counters.GetProperty("totalActiveHostCount").GetInt32() == 1) break;
        }
        Assert.Equal(1, counters.GetProperty("totalActiveHostCount").GetInt32());
        Assert.True(counters.GetProperty("totalActivationCount").GetInt32() > 0, counters.ToString());
        Assert.Equal(JsonValueKind.Object, (await admin.GetFromJsonAsync<JsonElement>("/dashboard/ClusterStats")).ValueKind);
        var grainTypes = await admin.GetFromJsonAsync<JsonElement>("/dashboard/GrainTypes");
        Assert.Contains(grainTypes.EnumerateArray(), t => t.GetString()!.Contains("ProjectGrain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_browser_signs_in_once_with_key_and_then_uses_a_cookie_only_the_dashboard_sees()
    {
        using var signIn = await NoRedirects().GetAsync($"/dashboard?key={SeismoFactory.AdminKey}&tab=silos");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        // The key leaves the address bar; the rest of the query stays.
        Assert.Equal("/dashboard/?tab=silos", signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith($"seismo_dashboard_key={SeismoFactory.AdminKey};", cookie);
        foreach (var attribute in new[] { "path=/dashboard", "samesite=strict", "httponly" })
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);

        var browser = NoRedirects();
        browser.DefaultRequestHeaders.Add("Cookie", $"seismo_dashboard_key={SeismoFactory.AdminKey}");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        // The cookie is no key anywhere else, even if a client sent it there.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);

        // A developer's key signs nobody in.
        using var developer = await NoRedirects().GetAsync($"/dashboard?key={fixture.DeveloperKey}");
        Assert.Equal(HttpStatusCode.Forbidden, developer.StatusCode);
        Assert.False(developer.Headers.Contains("Set-Cookie"));
        var viewerCookie = NoRedirects();
        viewerCookie.DefaultRequestHeaders.Add("Cookie", $"seismo_dashboard_key={fixture.ViewerKey}");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerCookie.GetAsync("/dashboard/DashboardCounters")).StatusCode);
    }

    [Fact]
    public async Task Metrics_can_be_guarded_with_an_admin_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await NoRedirects().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NoRedirects(fixture.DeveloperKey).GetAsync("/metrics")).StatusCode);
        var scrape = await PrometheusText.ScrapeAsync(_seismo.Admin());
        Assert.True(scrape.Has("seismo_fanout_pending_runs"), scrape.Text);
    }

    [Fact]
    public async Task Health_reports_the_silo_membership_and_the_database_without_a_key()
    {
        using var response = await NoRedirects().GetAsync("/health");
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var membership = body.GetProperty("checks").GetProperty("membership");
        Assert.Equal("Healthy", membership.GetProperty("status").GetString());
        Assert.Equal("1 active silo(s)", membership.GetProperty("description").GetString());
        var silo = Assert.Single(membership.GetProperty("data").EnumerateObject());
        Assert.Equal("Active", silo.Value.GetString());
        Assert.StartsWith("127.0.0.1:", silo.Name);
        var database = body.GetProperty("checks").GetProperty("database");
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
        Assert.Equal("SQLite reachable", database.GetProperty("description").GetString());
    }
}
