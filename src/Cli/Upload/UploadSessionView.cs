using System.Globalization;
using System.Text.Json;

namespace Seismo.Cli.Upload;

/// <summary>The parts of an upload session (the shared UploadSession JSON) the CLI shows and acts on.</summary>
public sealed record UploadSessionView(
    string Id, string Phase, long TotalSize, long BytesReceived, int TotalChunks, IReadOnlyList<int> ReceivedChunks,
    int FilesExtracted, int TestsParsed, string? Error, string? ReportStatus, string? ReportUrl)
{
    /// <summary>In the order a session passes through them; "failed" can end any.</summary>
    public static readonly string[] Phases = ["uploading", "assembling", "generating", "done"];

    public bool Finished => Phase is "done" or "failed";

    public static UploadSessionView Parse(JsonElement s)
    {
        string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long Num(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        var report = s.TryGetProperty("report", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        return new UploadSessionView(
            Str(s, "id") ?? "",
            Str(s, "phase") ?? "uploading",
            Num("totalSize"),
            Num("bytesReceived"),
            (int)Num("totalChunks"),
            s.TryGetProperty("receivedChunks", out var m) && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray().Select(x => x.GetInt32())] : [],
            (int)Num("filesExtracted"),
            (int)Num("testsParsed"),
            Str(s, "error"),
            report.ValueKind == JsonValueKind.Object ? Str(report, "status") : null,
            report.ValueKind == JsonValueKind.Object ? Str(report, "url") : null);
    }

    public string Detail()
    {
        var parts = new List<string>();
        if (FilesExtracted > 0) parts.Add($"{FilesExtracted.ToString(CultureInfo.InvariantCulture)} files");
        if (TestsParsed > 0) parts.Add($"{TestsParsed.ToString(CultureInfo.InvariantCulture)} tests");
        if (ReportStatus is { } status) parts.Add("report " + status);
        if (Error is { } error) parts.Add(error);
        return parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")";
    }
}
