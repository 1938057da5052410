using System.Globalization;
using Seismo.Cli.Hosting;
using Spectre.Console;

namespace Seismo.Cli.Upload;

/// <summary>Where an upload reports how far it got: bytes sent, then the server's phases.</summary>
public interface IUploadProgress
{
    void Start(string fileName, long totalBytes, string strategy);
    void Sent(long bytes);
    void Server(UploadSessionView session);
}

/// <summary>
/// Progress bars on a terminal (bytes with speed, and the server's phase), plain lines otherwise: one per tenth of
/// the bytes and one per phase change, so a CI log shows how far it got without redraw noise.
/// </summary>
public static class UploadProgress
{
    public static async Task<T> RunAsync<T>(CliConsole console, Func<IUploadProgress, Task<T>> work)
    {
        if (console.Ansi is not { } ansi) return await work(new PlainProgress(console));
        T result = default!;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async ctx => result = await work(new RichProgress(ctx)));
        return result;
    }

    private sealed class PlainProgress(CliConsole console) : IUploadProgress
    {
        private long _total;
        private int _tenth = -1;
        private string? _phase;

        public void Start(string fileName, long totalBytes, string strategy)
        {
            _total = totalBytes;
            console.Info($"Uploading {fileName} ({totalBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, {strategy})");
        }

        public void Sent(long bytes)
        {
            var tenth = _total == 0 ? 10 : (int)(bytes * 10 / _total);
            if (tenth <= _tenth) return;
            _tenth = tenth;
            console.Info($"  sent {bytes.ToString("N0", CultureInfo.InvariantCulture)} of {_total.ToString("N0", CultureInfo.InvariantCulture)} bytes ({tenth * 10}%)");
        }

        public void Server(UploadSessionView session)
        {
            var line = $"  server: {session.Phase}{session.Detail()}";
            if (line == _phase) return;
            _phase = line;
            console.Info(line);
        }
    }

    private sealed class RichProgress(ProgressContext context) : IUploadProgress
    {
        private ProgressTask? _bytes;
        private ProgressTask? _server;

        public void Start(string fileName, long totalBytes, string strategy)
        {
            _bytes = context.AddTask($"{Markup.Escape(fileName)} ({strategy})", maxValue: Math.Max(1, totalBytes));
            _server = context.AddTask("server: waiting", maxValue: UploadSessionView.Phases.Length - 1);
            _server.IsIndeterminate = true;
        }

        public void Sent(long bytes) => _bytes!.Value = bytes;

        public void Server(UploadSessionView session)
        {
            _server!.IsIndeterminate = false;
            _server.Description = Markup.Escape($"server: {session.Phase}{session.Detail()}");
            _server.Value = Math.Max(0, Array.IndexOf(UploadSessionView.Phases, session.Phase));
            if (session.Phase is "done" or "failed") _server.StopTask();
        }
    }
}
