using System.Globalization;
using System.Text.Json;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;
using Spectre.Console;

namespace Seismo.Cli.Commands;

/// <summary>
/// <c>seismo tail</c>: the project's live events, one line each, as they happen (<c>GET /api/events/stream</c>).
/// Reconnects by itself; <c>--since</c> replays from a sequence number, <c>--count</c> stops after that many events.
/// </summary>
public sealed class TailCommand(CliConsole console, SeismoClient client)
{
    public async Task<int> ExecuteAsync(IReadOnlyList<string> types, long? since, int? count, CancellationToken ct)
    {
        var project = await client.ResolveProjectAsync(ct);
        await using var stream = await LiveEventStream.OpenAsync(client, project, since, ct);
        console.Info($"Following the events of {(project is null ? "the key's project" : $"project {project}")} (Ctrl+C to stop)",
            $"[grey]Following the events of {(project is null ? "the key's project" : $"project {project}")} (Ctrl+C to stop)[/]");
        var seen = 0;
        try
        {
            await foreach (var e in stream.ReadAllAsync(ct))
            {
                if (types.Count > 0 && !types.Contains(e.Type, StringComparer.Ordinal)) continue;
                var time = (e.Timestamp ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                var text = Describe(e);
                var sequence = e.Sequence > 0 ? $"#{e.Sequence} " : "";
                console.Info($"{time} {sequence}{e.Type} {text}",
                    $"[grey]{time} {sequence}[/][{Colour(e)}]{Markup.Escape(e.Type)}[/] {Markup.Escape(text)}");
                if (count is { } n && ++seen >= n) return 0;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        return 0;
    }

    private static string Colour(LiveEnvelope e) => e.Type switch
    {
        "run.failed" or "test.status_changed" when e.String("newLabel") is "REGRESSION" or "BROKEN" => "red",
        "run.failed" => "red",
        "run.completed" => "green",
        "test.status_changed" => "yellow",
        "test.quarantined" or "test.unquarantined" => "blue",
        _ => "white",
    };

    /// <summary>The event's gist in one line.</summary>
    public static string Describe(LiveEnvelope e)
    {
        var d = e.Data;
        string N(string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "?";
        string S(string name) => e.String(name) ?? "-";
        return e.Type switch
        {
            "run.completed" or "run.failed" =>
                $"run {S("runId")} {S("status")}: {N("passedTests")} passed, {N("failedTests")} failed, {N("skippedTests")} skipped, " +
                $"{N("flakyTests")} flaky of {N("totalTests")} on {S("branch")} {Short(e.String("commitSha"))}".TrimEnd(),
            "test.status_changed" => $"{S("testTitle")}: {S("oldLabel")} -> {S("newLabel")} (score {N("flakinessScore")}) {S("reason")}",
            "test.quarantined" or "test.unquarantined" =>
                $"{S("testTitle")} {(e.Type == "test.quarantined" ? "quarantined" : "released")} " +
                (d.TryGetProperty("automatic", out var a) && a.ValueKind == JsonValueKind.True ? "automatically" : $"by {S("by")}"),
            LiveEnvelope.Truncated => "some earlier events are no longer kept by the server: " + d.GetRawText(),
            _ => d.ValueKind == JsonValueKind.Undefined ? "" : d.GetRawText(),
        };
    }

    private static string Short(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha ?? "";
}
