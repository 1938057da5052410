using System.Text.Json;

namespace Seismo.Domain.Allure;

/// <summary>
/// Reads Allure 2/3 result files (<c>*-result.json</c>). Lenient where Allure itself is (missing or unknown status,
/// missing name, missing arrays), strict where the file is not JSON or not an object. Sizes are capped: one file,
/// each text, the step tree.
/// </summary>
public static class AllureReader
{
    public const long MaxFileBytes = 16L * 1024 * 1024;
    private const int MaxText = 8192;
    private const int MaxName = 2048;
    private const int MaxSteps = 2000;
    private const int MaxLabels = 500;

    public static bool IsResultFile(string path) => path.EndsWith("-result.json", StringComparison.OrdinalIgnoreCase);

    public static bool IsContainerFile(string path) => path.EndsWith("-container.json", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="ReportFormatException">Not JSON, not an object, too deep or too large.</exception>
    public static AllureResult Read(Stream json, string fileName)
    {
        if (json.CanSeek && json.Length > MaxFileBytes)
            throw new ReportFormatException($"{fileName}: an Allure result over {MaxFileBytes} bytes is not accepted");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ReportFormatException($"{fileName}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ReportFormatException($"{fileName}: an Allure result must be a JSON object");
            var details = Child(root, "statusDetails");
            var stepBudget = MaxSteps;
            return new AllureResult(
                fileName,
                Text(root, "name", MaxName) ?? Text(root, "fullName", MaxName) ?? Path.GetFileNameWithoutExtension(fileName),
                Text(root, "fullName", MaxName),
                Text(root, "historyId", MaxName),
                Text(root, "testCaseId", MaxName),
                Status(root),
                details is { } d ? Text(d, "message", MaxText) : null,
                details is { } t ? Text(t, "trace", MaxText) : null,
                details is { } f && f.TryGetProperty("flaky", out var flaky) && flaky.ValueKind == JsonValueKind.True,
                Number(root, "start"),
                Number(root, "stop"),
                Labels(root),
                Steps(root, ref stepBudget));
        }
    }

    private static JsonElement? Child(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Text(JsonElement e, string name, int max)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrEmpty(s)) return null;
        return s.Length > max ? s[..max] : s;
    }

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static AllureStatus Status(JsonElement e) => Text(e, "status", 64)?.ToLowerInvariant() switch
    {
        "passed" => AllureStatus.Passed,
        "failed" => AllureStatus.Failed,
        "broken" => AllureStatus.Broken,
        "skipped" => AllureStatus.Skipped,
        _ => AllureStatus.Unknown,
    };

    private static List<KeyValuePair<string, string>> Labels(JsonElement root)
    {
        var labels = new List<KeyValuePair<string, string>>();
        if (!root.TryGetProperty("labels", out var array) || array.ValueKind != JsonValueKind.Array) return labels;
        foreach (var label in array.EnumerateArray())
        {
            if (labels.Count >= MaxLabels) break;
            if (label.ValueKind != JsonValueKind.Object) continue;
            if (Text(label, "name", 256) is { } name && Text(label, "value", MaxName) is { } value) labels.Add(new(name, value));
        }
        return labels;
    }

    private static List<AllureStep> Steps(JsonElement parent, ref int budget)
    {
        var steps = new List<AllureStep>();
        if (!parent.TryGetProperty("steps", out var array) || array.ValueKind != JsonValueKind.Array) return steps;
        foreach (var step in array.EnumerateArray())
        {
            if (budget <= 0) break;
            if (step.ValueKind != JsonValueKind.Object) continue;
            budget--;
            var details = Child(step, "statusDetails");
            steps.Add(new AllureStep(Text(step, "name", 512) ?? "", Status(step),
                details is { } d ? Text(d, "message", MaxText) : null, details is { } t ? Text(t, "trace", MaxText) : null,
                Steps(step, ref budget)));
        }
        return steps;
    }
}
