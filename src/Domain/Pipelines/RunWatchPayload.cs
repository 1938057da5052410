using System.Globalization;
using System.Text.Json;

namespace Seismo.Domain.Pipelines;

/// <summary>One job of a RunWatch report.</summary>
public sealed record RunWatchJob(
    string Name, string? JobId, string? JobUrl, string Status, double? DurationSeconds, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

/// <summary>A RunWatch ingest request, validated. Durations are filled from the timestamps when not given.</summary>
public sealed record RunWatchReport(
    string Provider, string Repository, string? PipelineId, string PipelineName, long RunId, int RunAttempt, string? RunName,
    string? RunUrl, string Status, string? Mode, double? ComputeSeconds, double? DurationSeconds, DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt, string TriggeredBy, string Actor, string? Branch, IReadOnlyList<RunWatchJob> Jobs);

/// <summary>
/// Validates a RunWatch ingest body against the contract's schema and enums. The first problem found is reported
/// with the field's path (e.g. <c>jobs[2].status</c>), as the contract's <c>{"error": "…"}</c> message.
/// </summary>
public static class RunWatchPayload
{
    public const int MaxJobs = 1000;
    public const int MaxText = 1024;

    public static RunWatchReport Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new RunWatchPayloadException("body", "The request body must be a JSON object");
        var provider = OneOf(body, "provider", PipelineNames.Providers)!;
        var repository = Text(body, "repository", required: true)!;
        var cut = repository.IndexOf('/');
        if (cut <= 0 || cut == repository.Length - 1 || repository.Contains("//", StringComparison.Ordinal) || repository.EndsWith('/') || repository.Any(char.IsWhiteSpace))
            throw new RunWatchPayloadException("repository", "Field 'repository' must be \"owner/repo-name\"");
        var pipelineId = Text(body, "pipeline_id", numberAllowed: true);
        var pipelineName = Text(body, "pipeline_name", required: true)!;
        var runId = Integer(body, "run_id", required: true, min: 0)!.Value;
        var attempt = Integer(body, "run_attempt", required: true, min: 1, max: 10_000)!.Value;
        var runName = Text(body, "run_name");
        var runUrl = Url(body, "run_url");
        var status = OneOf(body, "status", PipelineNames.Statuses)!;
        var mode = OneOf(body, "mode", ["inline", "external"], required: false);
        var compute = Seconds(body, "compute_seconds");
        var duration = Seconds(body, "duration_seconds");
        var started = Time(body, "started_at", required: true)!.Value;
        var completed = Time(body, "completed_at");
        if (completed < started) throw new RunWatchPayloadException("completed_at", "Field 'completed_at' must not be before 'started_at'");
        var triggeredBy = Text(body, "triggered_by", required: true)!;
        var actor = Text(body, "actor", required: true)!;
        var branch = Text(body, "branch");
        var jobs = Jobs(body);
        duration ??= completed is { } c ? (c - started).TotalSeconds : null;
        return new RunWatchReport(provider, repository, pipelineId, pipelineName, runId, (int)attempt, runName, runUrl, status, mode, compute,
            duration, started, completed, triggeredBy, actor, string.IsNullOrEmpty(branch) ? null : branch, jobs);
    }

    private static List<RunWatchJob> Jobs(JsonElement body)
    {
        var jobs = new List<RunWatchJob>();
        if (!body.TryGetProperty("jobs", out var array) || array.ValueKind == JsonValueKind.Null) return jobs;
        if (array.ValueKind != JsonValueKind.Array) throw new RunWatchPayloadException("jobs", "Field 'jobs' must be an array");
        if (array.GetArrayLength() > MaxJobs) throw new RunWatchPayloadException("jobs", $"Field 'jobs' must have at most {MaxJobs} items");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var job in array.EnumerateArray())
        {
            var p = $"jobs[{i++}]";
            if (job.ValueKind != JsonValueKind.Object) throw new RunWatchPayloadException(p, $"Field '{p}' must be an object");
            var name = Text(job, "name", required: true, prefix: p)!;
            if (!names.Add(name)) throw new RunWatchPayloadException($"{p}.name", $"Field '{p}.name' repeats the job name '{name}'");
            var status = OneOf(job, "status", PipelineNames.Statuses, prefix: p)!;
            var started = Time(job, "started_at", prefix: p);
            var completed = Time(job, "completed_at", prefix: p);
            if (completed < started) throw new RunWatchPayloadException($"{p}.completed_at", $"Field '{p}.completed_at' must not be before '{p}.started_at'");
            var duration = Seconds(job, "duration_seconds", p) ?? (started is { } s && completed is { } c ? (c - s).TotalSeconds : null);
            jobs.Add(new RunWatchJob(name, Text(job, "job_id", prefix: p, numberAllowed: true), Url(job, "job_url", p), status, duration, started, completed));
        }
        return jobs;
    }

    private static bool TryGet(JsonElement o, string name, out JsonElement value) =>
        o.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string Path(string? prefix, string name) => prefix is null ? name : $"{prefix}.{name}";

    private static string? Text(JsonElement o, string name, bool required = false, string? prefix = null, bool numberAllowed = false)
    {
        var field = Path(prefix, name);
        if (!TryGet(o, name, out var v))
            return required ? throw new RunWatchPayloadException(field, $"Field '{field}' is required") : null;
        string s;
        if (v.ValueKind == JsonValueKind.String) s = v.GetString()!;
        else if (numberAllowed && v.ValueKind == JsonValueKind.Number) s = v.GetRawText();
        else throw new RunWatchPayloadException(field, $"Field '{field}' must be a string");
        if (required && string.IsNullOrWhiteSpace(s)) throw new RunWatchPayloadException(field, $"Field '{field}' is required");
        if (s.Length > MaxText) throw new RunWatchPayloadException(field, $"Field '{field}' must be at most {MaxText} characters");
        return s;
    }

    private static string? OneOf(JsonElement o, string name, string[] allowed, bool required = true, string? prefix = null)
    {
        var s = Text(o, name, required, prefix);
        if (s is null) return null;
        var field = Path(prefix, name);
        return allowed.Contains(s) ? s : throw new RunWatchPayloadException(field, $"Field '{field}' must be one of: {string.Join(", ", allowed)}");
    }

    private static string? Url(JsonElement o, string name, string? prefix = null)
    {
        var s = Text(o, name, prefix: prefix);
        if (s is null) return null;
        var field = Path(prefix, name);
        return Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? s : throw new RunWatchPayloadException(field, $"Field '{field}' must be an absolute http(s) URL");
    }

    // Numbers as the contract says; digit strings too, because CI templating (e.g. ${{ github.run_id }}) often quotes them.
    private static long? Integer(JsonElement o, string name, bool required = false, long min = 0, long max = long.MaxValue)
    {
        if (!TryGet(o, name, out var v))
            return required ? throw new RunWatchPayloadException(name, $"Field '{name}' is required") : null;
        long n;
        var ok = v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetInt64(out n),
            JsonValueKind.String => long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n),
            _ => (n = 0) == 1,
        };
        if (!ok) throw new RunWatchPayloadException(name, $"Field '{name}' must be an integer");
        if (n < min || n > max) throw new RunWatchPayloadException(name, $"Field '{name}' must be between {min} and {max}");
        return n;
    }

    private static double? Seconds(JsonElement o, string name, string? prefix = null)
    {
        var field = Path(prefix, name);
        if (!TryGet(o, name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new RunWatchPayloadException(field, $"Field '{field}' must be a number");
        if (d < 0 || d > 366 * 86400.0) throw new RunWatchPayloadException(field, $"Field '{field}' must be between 0 and {366 * 86400}");
        return d;
    }

    private static DateTimeOffset? Time(JsonElement o, string name, bool required = false, string? prefix = null)
    {
        var s = Text(o, name, required, prefix);
        if (s is null) return null;
        var field = Path(prefix, name);
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && s.Length >= 10 && char.IsDigit(s[0])
            ? t.ToUniversalTime()
            : throw new RunWatchPayloadException(field, $"Field '{field}' must be an ISO 8601 timestamp");
    }
}

/// <summary>A RunWatch body that breaks the schema; <see cref="Field"/> names the field.</summary>
public sealed class RunWatchPayloadException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
