using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Seismo.Domain.Security;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

/// <summary>A real Kestrel server on 127.0.0.1 that records every request and answers with the status it is told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no {name} header");
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status of the n-th request (1-based); 200 unless set.</summary>
    public Func<int, int> Status { get; set; } = _ => 200;

    public IReadOnlyList<Request> Requests => [.. _requests];

    public int Port { get; private set; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var count = 0;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver._requests.Enqueue(new Request(context.Request.Path, headers, buffer.ToArray(), DateTimeOffset.UtcNow));
            context.Response.StatusCode = receiver.Status(Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        receiver.Port = new Uri(app.Urls.First()).Port;
        return receiver;
    }

    public async Task<IReadOnlyList<Request>> WaitForAsync(int count, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (_requests.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the receiver got {_requests.Count} of {count} requests");
            await Task.Delay(20);
        }
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class WebhookTestSupport
{
    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A class of webhook tests shares one admin key, making far more key and webhook calls a minute than the per-key
    /// limit lets a client make (RateLimitGroupsTests covers the limit).
    /// </summary>
    public const string KeysWebhooksLimit = "Seismo:RateLimits:KeysWebhooks";

    /// <summary>Settings for a Seismo that may deliver to the loopback receiver, with fast retries.</summary>
    public static Dictionary<string, string> FastSettings(bool allowPrivate = true, string baseDelay = "00:00:00.200") => new()
    {
        [KeysWebhooksLimit] = "0",
        ["Seismo:Webhooks:AllowPrivateTargets"] = allowPrivate ? "true" : "false",
        ["Seismo:Webhooks:RetryBaseDelay"] = baseDelay,
        ["Seismo:Webhooks:AttemptTimeout"] = "00:00:05",
        ["Seismo:Webhooks:PollInterval"] = "00:00:00.500",
    };

    /// <summary>A second tenant: a new account with an admin account key, and one project created through the API.</summary>
    public static async Task<(Guid ProjectId, string Key)> CreateTenantAsync(this SeismoFactory seismo, string name)
    {
        var grains = seismo.Services.GetRequiredService<IGrainFactory>();
        var accountId = Guid.NewGuid();
        var account = grains.GetGrain<IAccountGrain>(accountId);
        await account.CreateAsync(name, Tier.Team);
        var key = ApiKeyText.Generate();
        var now = DateTimeOffset.UtcNow;
        await account.AddKeyAsync(new ApiKeyInfo(Guid.NewGuid(), accountId, null, name + " admin", Role.Admin, ApiKeyText.HashHex(key), ApiKeyText.Mask(key),
            true, null, null, now, now));
        var project = await (await seismo.ClientWithKey(key).PostAsJsonAsync("/api/projects", new { name })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        return (project.GetProperty("id").GetGuid(), key);
    }

    public static async Task<string> CreateWebhookAsync(this HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/webhooks", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("id").GetString()!;
    }

    public static Task PublishAsync(this SeismoFactory seismo, Guid projectId, params LiveEvent[] events) =>
        seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookGrain>(projectId).PublishAsync(events);

    public static LiveEvent RunEvent(Guid projectId, long sequence, string type = EventTypes.RunCompleted, string status = "passed") =>
        Event(projectId, sequence, type, new RunEventData($"run-{sequence}", projectId, status, 10, status == "passed" ? 10 : 8, status == "passed" ? 0 : 2,
            0, 0, status == "passed" ? 100 : 80, 1234, "main", "abc123", false));

    public static LiveEvent LabelEvent(Guid projectId, long sequence, string oldLabel, string newLabel) =>
        Event(projectId, sequence, EventTypes.TestStatusChanged, new TestStatusEventData("t_abc", projectId, "adds two numbers", "calc.test.ts",
            oldLabel, newLabel, "flipped on the same commit", 0.12, $"run-{sequence}"));

    public static LiveEvent Event<T>(Guid projectId, long sequence, string type, T data) =>
        new(Guid.NewGuid().ToString("N"), type, EventTypes.Version, projectId, Guid.Empty, sequence, DateTimeOffset.UtcNow, JsonSerializer.Serialize(data, Camel));

    /// <summary>Polls the deliveries of a webhook until every one satisfies the condition.</summary>
    public static async Task<JsonElement[]> WaitDeliveriesAsync(this HttpClient admin, string webhookId, int count, Func<JsonElement, bool> done, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries");
            var data = page.GetProperty("data").EnumerateArray().ToArray();
            if (data.Length >= count && data.All(done)) return data;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"deliveries not done in time: {page}");
            await Task.Delay(50);
        }
    }

    public static string State(this JsonElement delivery) => delivery.GetProperty("state").GetString()!;

    public static int?[] StatusCodes(this JsonElement delivery) =>
        delivery.GetProperty("attempts").EnumerateArray()
            .Select(a => a.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? (int?)null : a.GetProperty("statusCode").GetInt32()).ToArray();
}
