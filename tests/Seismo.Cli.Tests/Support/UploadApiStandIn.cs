using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Seismo.Cli.Tests.Support;

/// <summary>
/// The agreed upload API (UploadSession JSON, one-request and chunked uploads, <c>/api/uploads/stream</c>) served on
/// loopback by the test itself, so the CLI's side of the protocol is checked before Seismo's own implementation is
/// merged. It records what arrived: the assembled bytes and every chunk index put.
/// </summary>
public sealed class UploadApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentBag<Channel<string>> _listeners = [];

    private UploadApiStandIn(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First());

    public ConcurrentQueue<int> ChunksPut { get; } = new();

    public ConcurrentDictionary<string, byte[]> Assembled { get; } = new();

    public sealed class Session
    {
        public required string Id { get; init; }
        public required long TotalSize { get; init; }
        public required int TotalChunks { get; init; }
        public string Phase { get; set; } = "uploading";
        public ConcurrentDictionary<int, byte[]> Chunks { get; } = new();

        public object Json() => new
        {
            id = Id, strategy = TotalChunks > 0 ? "chunked" : "streaming", phase = Phase, totalSize = TotalSize,
            bytesReceived = Chunks.Values.Sum(c => (long)c.Length), totalChunks = TotalChunks,
            receivedChunks = Chunks.Keys.Order().ToArray(), filesExtracted = Phase == "done" ? 2 : 0, testsParsed = Phase == "done" ? 1 : 0,
            error = (string?)null, report = new { status = Phase == "done" ? "ready" : "pending", url = $"/reports/e/p/{Id}/" },
        };
    }

    /// <summary>Opens a session as if an earlier run had started it.</summary>
    public Session Open(long totalSize, int totalChunks)
    {
        var session = new Session { Id = Guid.NewGuid().ToString("N"), TotalSize = totalSize, TotalChunks = totalChunks };
        _sessions[session.Id] = session;
        return session;
    }

    public static async Task<UploadApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new UploadApiStandIn(app);
        app.MapPost("/api/environments/{env}/projects/{project}/upload", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var session = api.Open(body.Length, 0);
            api.Assembled[session.Id] = body.ToArray();
            api.Advance(session, "assembling", "done");
            return Results.Json(session.Json(), statusCode: 201);
        });
        app.MapPost("/api/environments/{env}/projects/{project}/uploads", async (HttpContext http) =>
        {
            var request = await JsonDocument.ParseAsync(http.Request.Body);
            var session = api.Open(request.RootElement.GetProperty("totalSize").GetInt64(), request.RootElement.GetProperty("totalChunks").GetInt32());
            api.Publish(session);
            return Results.Json(session.Json(), statusCode: 201);
        });
        app.MapPut("/api/uploads/{id}/chunks", async (HttpContext http, string id) =>
        {
            var session = api._sessions[id];
            var index = int.Parse(http.Request.Headers["X-Chunk-Index"]!);
            Assert.Equal(session.TotalChunks.ToString(), http.Request.Headers["X-Total-Chunks"].ToString());
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            session.Chunks[index] = body.ToArray();
            api.ChunksPut.Enqueue(index);
            api.Publish(session);
            return Results.Json(session.Json());
        });
        app.MapPost("/api/uploads/{id}/complete", (string id) =>
        {
            var session = api._sessions[id];
            if (session.Chunks.Count != session.TotalChunks) return Results.Json(new { error = new { code = "VALIDATION_ERROR", message = "chunks missing" } }, statusCode: 400);
            api.Assembled[id] = [.. session.Chunks.OrderBy(c => c.Key).SelectMany(c => c.Value)];
            api.Advance(session, "assembling", "generating", "done");
            return Results.Json(session.Json(), statusCode: 202);
        });
        app.MapGet("/api/uploads/{id}", (string id) =>
            api._sessions.TryGetValue(id, out var s) ? Results.Json(s.Json()) : Results.Json(new { error = new { code = "NOT_FOUND", message = "no such upload" } }, statusCode: 404));
        app.MapGet("/api/uploads/stream", async (HttpContext http) =>
        {
            var channel = Channel.CreateUnbounded<string>();
            api._listeners.Add(channel);
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(": open\n\n");
            await http.Response.Body.FlushAsync();
            try
            {
                await foreach (var data in channel.Reader.ReadAllAsync(http.RequestAborted))
                {
                    await http.Response.WriteAsync($"data: {data}\n\n");
                    await http.Response.Body.FlushAsync();
                }
            }
            catch (OperationCanceledException) { }
        });
        await app.StartAsync();
        return api;
    }

    /// <summary>Moves the session through the given phases, publishing each (the first before the answer, the rest after it).</summary>
    private void Advance(Session session, params string[] phases)
    {
        session.Phase = phases[0];
        Publish(session);
        _ = Task.Run(async () =>
        {
            foreach (var phase in phases.Skip(1))
            {
                await Task.Delay(20);
                session.Phase = phase;
                Publish(session);
            }
        });
    }

    private void Publish(Session session)
    {
        var data = JsonSerializer.Serialize(session.Json());
        foreach (var listener in _listeners) listener.Writer.TryWrite(data);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
