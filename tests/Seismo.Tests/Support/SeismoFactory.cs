using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Api.Ingest;

namespace Seismo.Tests.Support;

/// <summary>
/// The real Seismo API with its embedded silo and SQLite store in a temporary data directory. Dispose it and start
/// another on the same directory to test a restart.
/// </summary>
public sealed class SeismoFactory : WebApplicationFactory<Program>
{
    public SeismoFactory(string? dataDir = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDir = dataDir ?? TempDir.Create("seismo-data");
        _settings = settings ?? new Dictionary<string, string>();
    }

    private readonly IReadOnlyDictionary<string, string> _settings;

    public const string AdminKey = "smo_test_admin_key_0123456789abcdef";

    public string DataDir { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Seismo:DataDir", DataDir);
        builder.UseSetting("SEISMO_ADMIN_KEY", AdminKey);
        builder.UseSetting("Seismo:SiloPort", "0");
        builder.UseSetting("Seismo:GatewayPort", "0");
        builder.UseSetting("Seismo:FlushInterval", "00:00:01");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Serves on a real Kestrel loopback port (SSE, SignalR); call before the first request.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Waits until every accepted run has reached its test grains.</summary>
    public Task DrainAsync() => Services.GetRequiredService<RunFanOut>().DrainAsync();

    /// <summary>The default project created on first start.</summary>
    public async Task<Guid> DefaultProjectAsync()
    {
        var list = await Admin().GetFromJsonAsync<JsonElement>("/api/projects");
        return list.GetProperty("data")[0].GetProperty("id").GetGuid();
    }

    /// <summary>Puts a project in an environment, creating the environment when it does not exist yet.</summary>
    public async Task JoinEnvironmentAsync(string envId, Guid projectId)
    {
        var admin = Admin();
        using (var created = await admin.PostAsJsonAsync("/api/environments", new { name = envId, id = envId }))
            if (created.StatusCode != System.Net.HttpStatusCode.Conflict) created.EnsureSuccessStatusCode();
        using var joined = await admin.PostAsJsonAsync($"/api/environments/{envId}/projects", new { projectId });
        joined.EnsureSuccessStatusCode();
    }

    /// <summary>Creates a project and a project key (developer unless told otherwise).</summary>
    public async Task<(Guid ProjectId, string Key)> CreateProjectAsync(string name, string role = "developer")
    {
        var admin = Admin();
        var project = await (await admin.PostAsJsonAsync("/api/projects", new { name })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = project.GetProperty("id").GetGuid();
        var key = await (await admin.PostAsJsonAsync("/api/api-keys", new { projectId = id, name = name + " key", role })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        return (id, key.GetProperty("key").GetString()!);
    }
}
