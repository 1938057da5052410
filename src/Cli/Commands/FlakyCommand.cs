using System.Globalization;
using System.Text.Json;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;

namespace Seismo.Cli.Commands;

/// <summary><c>seismo flaky</c>: the project's tests by flakiness score (<c>GET /api/flakiness</c>) as a table.</summary>
public sealed class FlakyCommand(CliConsole console, SeismoClient client)
{
    public async Task<int> ExecuteAsync(double? minScore, bool quarantinedOnly, int? limit, CancellationToken ct)
    {
        var project = await client.ResolveProjectAsync(ct);
        var list = await client.GetJsonAsync(SeismoClient.Path("api/flakiness",
            ("projectId", project?.ToString()),
            ("minScore", minScore?.ToString(CultureInfo.InvariantCulture)),
            ("quarantined", quarantinedOnly ? "true" : null),
            ("limit", limit?.ToString(CultureInfo.InvariantCulture))), ct);

        var rows = list.GetProperty("data").EnumerateArray().Select(Row).ToList();
        if (rows.Count == 0) console.Info("No tests match.");
        else console.Table(["Score", "Label", "Runs", "Flaky runs", "Last flaky", "Quarantined", "Test"], rows, new HashSet<int> { 0, 2, 3 });

        var summary = list.GetProperty("summary");
        var total = list.TryGetProperty("total", out var t) ? t.GetInt64() : rows.Count;
        console.Info($"{rows.Count} of {total} test(s) shown; {summary.GetProperty("totalFlakyTests").GetInt32()} flaky, " +
            $"{summary.GetProperty("quarantinedTests").GetInt32()} quarantined, average flaky score " +
            summary.GetProperty("averageFlakinessScore").GetDouble().ToString("0.000", CultureInfo.InvariantCulture));
        return 0;
    }

    private static IReadOnlyList<string> Row(JsonElement r)
    {
        var title = r.GetProperty("testTitle").GetString() ?? "";
        var file = r.TryGetProperty("filePath", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var lastFlaky = r.TryGetProperty("lastFlakyAt", out var l) && l.ValueKind == JsonValueKind.String && l.TryGetDateTimeOffset(out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
        return
        [
            r.GetProperty("flakinessScore").GetDouble().ToString("0.000", CultureInfo.InvariantCulture),
            r.GetProperty("label").GetString() ?? "",
            r.GetProperty("totalRuns").GetInt64().ToString(CultureInfo.InvariantCulture),
            r.GetProperty("flakyRuns").GetInt32().ToString(CultureInfo.InvariantCulture),
            lastFlaky,
            r.GetProperty("isQuarantined").GetBoolean() ? "yes" : "no",
            file is null ? title : $"{title} ({file})",
        ];
    }
}
