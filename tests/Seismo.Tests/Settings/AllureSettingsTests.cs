using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

/// <summary>A Seismo whose npm registry cannot be reached and which finds no Allure CLI.</summary>
public sealed class OfflineAllureFixture : IAsyncLifetime
{
    public SeismoFactory Seismo { get; } = new(settings: new Dictionary<string, string>
    {
        ["Seismo:Allure:Registry"] = "http://127.0.0.1:9",
        ["Seismo:Allure:Command"] = "/nonexistent/allure",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}

public sealed class AllureSettingsTests(OfflineAllureFixture offline) : IClassFixture<OfflineAllureFixture>
{
    [Theory]
    [InlineData("""{}""", "version", "required")]
    [InlineData("""{"version":3}""", "version", "invalid_type")]
    [InlineData("""{"version":"3.4.0-beta.1"}""", "version", "prerelease")]
    [InlineData("""{"version":"3.4"}""", "version", "invalid_format")]
    [InlineData("""{"version":"latest"}""", "version", "invalid_format")]
    [InlineData("""{"version":"3.18.0","force":true}""", "force", "unknown_field")]
    [InlineData("""nope""", "body", "invalid_json")]
    public async Task Bad_versions_are_refused_before_anything_is_installed(string json, string field, string reason)
    {
        var seismo = offline.Seismo;
        var response = await seismo.Admin().PutAsync("/api/settings/allure", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal(field, error.ErrorField());
        Assert.Equal(reason, error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        Assert.False(Directory.Exists(Path.Combine(seismo.DataDir, "tools", "allure", "node_modules")));
    }

    [Fact]
    public async Task Latest_is_empty_when_the_registry_is_unreachable()
    {
        var body = await offline.Seismo.Admin().GetFromJsonAsync<JsonElement>("/api/settings/allure");
        Assert.Equal(("", ""), (body.GetProperty("version").GetString(), body.GetProperty("latest").GetString()));
    }

    [NpmFact]
    public async Task A_failing_npm_install_answers_500_with_npms_stderr()
    {
        // A registry that refuses everything: the version check passes (not a 404), npm itself fails.
        using var registry = new RefusingRegistry();
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:Allure:Registry"] = registry.Url });
        var response = await seismo.Admin().PutAsJsonAsync("/api/settings/allure", new { version = "3.0.0" });
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = await response.JsonAsync();
        var stderr = error.GetProperty("error").GetProperty("details").GetProperty("stderr").GetString()!;
        Assert.Contains("npm", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("403", stderr);
    }

    [NpmRegistryFact]
    public async Task Installs_a_version_from_npm_under_the_data_dir_and_reports_it()
    {
        await using var seismo = new SeismoFactory();
        var admin = seismo.Admin();
        admin.Timeout = TimeSpan.FromMinutes(5);

        var unknown = await admin.PutAsJsonAsync("/api/settings/allure", new { version = "0.0.99" });
        Assert.Equal((HttpStatusCode.BadRequest, "version"), (unknown.StatusCode, (await unknown.JsonAsync()).ErrorField()));

        var installed = await admin.PutAsJsonAsync("/api/settings/allure", new { version = "3.0.0" });
        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        Assert.Equal("3.0.0", (await installed.JsonAsync()).GetProperty("version").GetString());
        Assert.True(File.Exists(Path.Combine(seismo.DataDir, "tools", "allure", "node_modules", "allure", "package.json")));

        var versions = await admin.GetFromJsonAsync<JsonElement>("/api/settings/allure");
        Assert.Equal("3.0.0", versions.GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", versions.GetProperty("latest").GetString());
    }
}

/// <summary>Runs only where npm is installed.</summary>
public sealed class NpmFactAttribute : FactAttribute
{
    public NpmFactAttribute()
    {
        if (!Tools.Exist("npm")) Skip = "npm is not installed";
    }
}

/// <summary>Runs only where npm is installed and registry.npmjs.org answers.</summary>
public sealed class NpmRegistryFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (!Tools.Exist("npm")) return "npm is not installed";
        // Generous: test discovery may run while the machine is busy.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        string? problem = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var response = http.GetAsync("https://registry.npmjs.org/allure/latest").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return null;
                problem = $"registry.npmjs.org answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                problem = $"registry.npmjs.org is unreachable: {e.Message}";
            }
        }
        return problem;
    });

    public NpmRegistryFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason;
    }
}

/// <summary>An npm registry on loopback that answers every request 403.</summary>
internal sealed class RefusingRegistry : IDisposable
{
    private readonly HttpListener _listener = new();

    public RefusingRegistry()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                context.Response.StatusCode = 403;
                await context.Response.OutputStream.WriteAsync("""{"error":"forbidden"}"""u8.ToArray());
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public void Dispose() => _listener.Close();

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>The version shown is the one the silos generating reports find, asked of each silo.</summary>
public sealed class AllureSiloVersionTests
{
    [Fact]
    public async Task The_version_is_the_one_each_silo_generates_reports_with()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = Directory.CreateTempSubdirectory("seismo-fake-allure-").FullName;
        var cli = Path.Combine(dir, "allure");
        await File.WriteAllTextAsync(cli, "#!/bin/sh\necho 3.99.1\n");
        File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string>
        {
            ["Seismo:Allure:Registry"] = "http://127.0.0.1:9",
            ["Seismo:Allure:Command"] = cli,
        });
        var body = await seismo.Admin().GetFromJsonAsync<JsonElement>("/api/settings/allure");
        Assert.Equal("3.99.1", body.GetProperty("version").GetString());
        var silo = Assert.Single(body.GetProperty("silos").EnumerateArray());
        Assert.Equal("3.99.1", silo.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("silo").GetString()));
        Directory.Delete(dir, recursive: true);
    }
}
