using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;
using Seismo.Domain.IO;

namespace Seismo.Cli.Upload;

public sealed record UploadOptions(string Path, string Env, string Project, string Build, long ChunkSize, long ChunkedAbove);

/// <summary>
/// <c>seismo upload</c>: zips a report folder (or takes a zip) and sends it to Seismo's upload API. Small zips go in one
/// request; larger ones in chunks to a session that survives interruption: run the same command again and only the
/// chunks the server lacks (<c>GET /api/uploads/{id}</c>) are sent. Then the server's phases are followed live until
/// the session is done or failed.
/// </summary>
public sealed class UploadCommand(CliHost host, CliConsole console, SeismoClient client)
{
    public async Task<int> ExecuteAsync(UploadOptions options, CancellationToken ct)
    {
        if (options.ChunkSize <= 0) return Usage("--chunk-size must be at least 1 (MB)");
        var source = Path.GetFullPath(options.Path, host.WorkingDirectory);
        string zip, fileName;
        var temporary = false;
        if (Directory.Exists(source))
        {
            zip = ReportZip.Create(source, Path.GetTempPath());
            fileName = Path.GetFileName(Path.TrimEndingDirectorySeparator(source)) + ".zip";
            temporary = true;
        }
        else if (File.Exists(source) && source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            zip = source;
            fileName = Path.GetFileName(source);
        }
        else
        {
            return Usage($"{options.Path} is neither a folder nor a .zip file");
        }

        try
        {
            var size = new FileInfo(zip).Length;
            var chunked = size > options.ChunkedAbove;
            await using var watch = await UploadWatch.OpenAsync(client, ct);
            var session = await UploadProgress.RunAsync(console, async progress =>
            {
                progress.Start(fileName, size, chunked ? "chunked" : "one request");
                var accepted = chunked
                    ? await ChunkedAsync(zip, fileName, size, options, progress, ct)
                    : await StreamingAsync(zip, size, options, progress, ct);
                return await watch.UntilFinishedAsync(accepted, progress, ct);
            });
            if (session.Phase == "failed")
            {
                console.Fail($"upload {session.Id} failed: {session.Error ?? "no reason given"}");
                return SeismoCli.Refused;
            }
            var report = session.ReportUrl is { } url ? $"; report {session.ReportStatus}: {new Uri(client.Settings.Url, url.TrimStart('/'))}" : "";
            console.Info($"Upload {session.Id} done: {session.FilesExtracted} files, {session.TestsParsed} tests{report}");
            return 0;
        }
        finally
        {
            if (temporary) File.Delete(zip);
        }
    }

    private string ProjectPath(UploadOptions o, string tail) =>
        $"api/environments/{Uri.EscapeDataString(o.Env)}/projects/{Uri.EscapeDataString(o.Project)}/{tail}";

    private async Task<UploadSessionView> StreamingAsync(string zip, long size, UploadOptions options, IUploadProgress progress, CancellationToken ct)
    {
        var path = SeismoClient.Path(ProjectPath(options, "upload"), ("buildId", options.Build));
        using var response = await client.SendAsync(() =>
        {
            var body = new StreamContent(new CountingStream(File.OpenRead(zip), progress.Sent));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            body.Headers.ContentLength = size;
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        }, "upload", ct);
        return UploadSessionView.Parse(await SeismoClient.ReadJsonAsync(response, ct));
    }

    private async Task<UploadSessionView> ChunkedAsync(string zip, string fileName, long size, UploadOptions options, IUploadProgress progress,
        CancellationToken ct)
    {
        var totalChunks = (int)Math.Max(1, (size + options.ChunkSize - 1) / options.ChunkSize);
        var state = ResumeState.For(host, zip, options.Env, options.Project, options.Build);
        var session = await ResumableAsync(state, size, totalChunks, ct);
        if (session is null)
        {
            var path = ProjectPath(options, "uploads");
            using var created = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = JsonContent.Create(new { fileName, totalSize = size, totalChunks, buildId = options.Build }),
            }, "create upload session", ct);
            session = UploadSessionView.Parse(await SeismoClient.ReadJsonAsync(created, ct));
            state.Save(session.Id);
        }

        long ChunkLength(int i) => Math.Min(options.ChunkSize, size - i * options.ChunkSize);
        // The session is open and waiting for chunks: that is the server's first phase.
        progress.Server(session);
        var missing = Enumerable.Range(0, totalChunks).Except(session.ReceivedChunks).ToList();
        var sent = size - missing.Sum(i => ChunkLength(i));
        progress.Sent(sent);
        var buffer = new byte[options.ChunkSize];
        await using var file = File.OpenRead(zip);
        foreach (var index in missing)
        {
            var length = (int)ChunkLength(index);
            file.Position = index * options.ChunkSize;
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), ct);
            var chunkPath = $"api/uploads/{Uri.EscapeDataString(session.Id)}/chunks";
            using var response = await client.SendAsync(() =>
            {
                var body = new ByteArrayContent(buffer, 0, length);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                var request = new HttpRequestMessage(HttpMethod.Put, chunkPath) { Content = body };
                request.Headers.Add("X-Chunk-Index", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("X-Total-Chunks", totalChunks.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return request;
            }, $"chunk {index + 1} of {totalChunks}", ct);
            if (!response.IsSuccessStatusCode) throw await SeismoApiException.FromResponseAsync(response, ct);
            sent += length;
            progress.Sent(sent);
        }

        using var complete = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"api/uploads/{Uri.EscapeDataString(session.Id)}/complete"),
            "complete upload", ct);
        var completed = UploadSessionView.Parse(await SeismoClient.ReadJsonAsync(complete, ct));
        state.Clear();
        return completed;
    }

    /// <summary>The session an earlier, interrupted run of this upload left, when the server still has it open for the same file.</summary>
    private async Task<UploadSessionView?> ResumableAsync(ResumeState state, long size, int totalChunks, CancellationToken ct)
    {
        if (state.SessionId is not { } id) return null;
        try
        {
            var session = UploadSessionView.Parse(await client.GetJsonAsync($"api/uploads/{Uri.EscapeDataString(id)}", ct));
            if (session.Phase == "uploading" && session.TotalSize == size && session.TotalChunks == totalChunks)
            {
                console.Info($"Resuming upload {id}: {session.ReceivedChunks.Count} of {totalChunks} chunks are already there");
                return session;
            }
        }
        catch (SeismoApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone) { }
        state.Clear();
        return null;
    }

    private int Usage(string error)
    {
        console.Fail(error);
        return SeismoCli.UsageError;
    }

    /// <summary>Reports how many bytes of the body have been read, i.e. handed to the connection.</summary>
    private sealed class CountingStream(Stream inner, Action<long> onProgress) : ReadOnlyStreamView(inner)
    {
        public override long Length => Inner.Length;

        public override int Read(byte[] buffer, int offset, int count) => Count(Inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await Inner.ReadAsync(buffer, cancellationToken));

        private int Count(int read)
        {
            BytesRead += read;
            onProgress(BytesRead);
            return read;
        }
    }
}
