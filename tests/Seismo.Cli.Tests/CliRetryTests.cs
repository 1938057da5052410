using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Seismo.Cli.Tests.Support;
using Seismo.Grains.Hosting;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests;

/// <summary>Transient refusals of /collect: the CLI waits as Retry-After says, then delivers; it never waits longer than allowed.</summary>
public sealed class CliRetryTests(SeismoHost shared) : IClassFixture<SeismoHost>
{
    [Fact]
    public async Task A_503_from_a_locked_store_is_retried_after_the_servers_Retry_After()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:StoreTimeoutSeconds"] = "1" });
        var url = seismo.StartKestrel();
        var (project, key) = await seismo.CreateProjectAsync("retry-503");
        var cli = new CliRunner(url, key);
        var run = cli.RunAsync("run", "--", "sh", "-c", "while [ ! -f go ]; do sleep 0.05; done; echo finished");

        DateTimeOffset refusedAt;
        await using (var blocker = new SqliteConnection(SeismoSiloHosting.SqliteConnectionString(seismo.DataDir)))
        {
            await blocker.OpenAsync();
            await using var exclusive = blocker.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
            await File.WriteAllTextAsync(cli.PathOf("go"), "");
            await cli.Error.WaitForAsync("Seismo answered 503");
            refusedAt = DateTimeOffset.UtcNow;
            exclusive.CommandText = "ROLLBACK";
            await exclusive.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        var deliveredAt = DateTimeOffset.UtcNow;
        Assert.Contains("retrying in 5 s as Retry-After asks (attempt 2 of 6)", cli.Error.Text);
        Assert.True(deliveredAt - refusedAt >= TimeSpan.FromSeconds(4.5), $"retried after {(deliveredAt - refusedAt).TotalSeconds:0.0} s");
        Assert.Contains("reported observation", cli.Out.Text);
        var runs = await seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_then_delivered()
    {
        var seismo = shared.Factory;
        var (project, key) = await seismo.CreateProjectAsync("retry-429");
        await using var front = await FaultyFront.StartAsync(shared.Url, faults: 2, status: 429, retryAfter: "1");
        var cli = new CliRunner(front.Url, key);
        Assert.Equal(3, await cli.RunAsync("run", "--", "sh", "-c", "exit 3"));

        var arrivals = front.CollectArrivals.ToArray();
        Assert.Equal(3, arrivals.Length);
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(0.95), $"second attempt after {(arrivals[1] - arrivals[0]).TotalSeconds:0.00} s");
        Assert.True(arrivals[2] - arrivals[1] >= TimeSpan.FromSeconds(0.95), $"third attempt after {(arrivals[2] - arrivals[1]).TotalSeconds:0.00} s");
        Assert.Contains("Seismo answered 429 (slow down (RATE_LIMITED)); retrying in 1 s as Retry-After asks", cli.Error.Text);
        var runs = await seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
        Assert.Equal("failed", runs.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_429_whose_Retry_After_is_beyond_the_allowed_wait_gives_up_and_keeps_the_exit_code()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:Tiers:enterprise:HourlyObservations"] = "1" });
        var url = seismo.StartKestrel();
        var (project, key) = await seismo.CreateProjectAsync("retry-limit");
        Assert.Equal(0, await new CliRunner(url, key).RunAsync("run", "--", "true"));

        var cli = new CliRunner(url, key);
        var started = DateTimeOffset.UtcNow;
        Assert.Equal(6, await cli.RunAsync("run", "--retry-max-wait", "0", "--", "sh", "-c", "exit 6"));

        // The hourly window resets at the top of the UTC hour; the server says so and the CLI does not hammer it.
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(20));
        Assert.Contains("Seismo answered 429", cli.Error.Text);
        Assert.Contains("longer than the 0 s this command waits (--retry-max-wait)", cli.Error.Text);
        Assert.Contains("the run was not reported", cli.Error.Text);
        var runs = await seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
    }
}
