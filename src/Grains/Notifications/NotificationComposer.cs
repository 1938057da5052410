using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seismo.Grains.Notifications;

/// <summary>The live events of one run (or of one batch without a run), decoded.</summary>
/// <param name="RunId">Null for decisions taken outside a run, e.g. a manual quarantine.</param>
/// <param name="Run">The run's <c>run.completed</c> / <c>run.failed</c> payload, when the batch has it.</param>
public sealed record RunEvents(
    Guid ProjectId,
    string? RunId,
    RunEventData? Run,
    IReadOnlyList<TestStatusEventData> StatusChanges,
    IReadOnlyList<TestQuarantineEventData> QuarantineChanges);

/// <summary>
/// Turns the live events of a run into inbox notifications, grouped so that a storm never floods the inbox. Per run
/// at most three notifications, never one per test:
/// <list type="bullet">
/// <item>test status: every test that became FLAKY (warning), REGRESSION or BROKEN (error), or recovered to STABLE
/// from one of those (success), in one notification whose severity is the worst of them; the body names the first
/// few, the payload lists them all;</item>
/// <item>quarantine: every test quarantined (info) or released (success), in one notification;</item>
/// <item>run: a failed run (error). A run that tripped the infrastructure gate raises one warning instead, and none
/// of the per-test notifications above (their counts are in its payload).</item>
/// </list>
/// Plain code, no Orleans. Each draft has a key naming the run and the changes, so raising the same events twice
/// (a replayed run) notifies once.
/// </summary>
public sealed class NotificationComposer(int titlesInBody = NotificationComposer.DefaultTitlesInBody, int testsInPayload = NotificationComposer.DefaultTestsInPayload)
{
    public const int DefaultTitlesInBody = 5;
    public const int DefaultTestsInPayload = 1_000;
    private const int MaxTitleInBody = 120;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private enum Change { Regressed, Broke, Flaky, Recovered }

    /// <summary>
    /// Decodes the events, groups them by project and run (in order of first appearance) and composes each group.
    /// Other event types and payloads that cannot be read are ignored. Drafts are in raising order: the last is the
    /// newest, and a run's outcome comes after its tests.
    /// </summary>
    public NotificationDraft[] Compose(IReadOnlyList<LiveEvent> events)
    {
        var groups = new Dictionary<(Guid, string), (RunEventData? Run, List<TestStatusEventData> Status, List<TestQuarantineEventData> Quarantine)>();
        var order = new List<(Guid Project, string? Run)>();
        foreach (var e in events)
        {
            var (runId, run, status, quarantine) = Decode(e);
            if (run is null && status is null && quarantine is null) continue;
            var key = (e.ProjectId, runId ?? "");
            if (!groups.TryGetValue(key, out var group))
            {
                group = (null, [], []);
                order.Add((e.ProjectId, runId));
            }
            if (run is not null) group.Run = run;
            if (status is not null) group.Status.Add(status);
            if (quarantine is not null) group.Quarantine.Add(quarantine);
            groups[key] = group;
        }
        var drafts = new List<NotificationDraft>();
        foreach (var (project, runId) in order)
        {
            var group = groups[(project, runId ?? "")];
            drafts.AddRange(Compose(new RunEvents(project, runId, group.Run, group.Status, group.Quarantine)));
        }
        return [.. drafts];
    }

    /// <summary>The notifications of one run's events, oldest first (the run's outcome last).</summary>
    public NotificationDraft[] Compose(RunEvents events)
    {
        var changes = NotableChanges(events.StatusChanges);
        var quarantines = LastPerTest(events.QuarantineChanges, q => q.TestId);
        if (events.Run is { InfrastructureIncident: true } incident)
            return [Incident(events, incident, changes.Count, quarantines.Count)];

        var drafts = new List<NotificationDraft>(3);
        if (changes.Count > 0) drafts.Add(StatusDraft(events, changes));
        if (quarantines.Count > 0) drafts.Add(QuarantineDraft(events, quarantines));
        if (events.Run is { } run && IsFailed(run)) drafts.Add(RunFailedDraft(events, run));
        return [.. drafts];
    }

    private NotificationDraft StatusDraft(RunEvents events, List<(TestStatusEventData Test, string Old, string New, Change Change)> changes)
    {
        var ordered = changes.OrderBy(c => c.Change).ToList(); // stable: worst first, then in event order
        var counts = Enum.GetValues<Change>().ToDictionary(k => k, k => changes.Count(c => c.Change == k));
        var kinds = counts.Where(c => c.Value > 0).Select(c => c.Key).ToList();
        var severity = kinds.Max(Severity);
        var where = InRun(events);
        var title = kinds.Count == 1
            ? $"{Tests(changes.Count)} {Phrase(kinds[0])}{where}"
            : $"{Tests(changes.Count)} changed status{where}";

        var body = new StringBuilder();
        if (kinds.Count > 1) body.Append(string.Join(", ", kinds.Select(k => $"{counts[k]} {Phrase(k)}"))).Append(".\n");
        AppendList(body, ordered.Select(c => $"{c.Test.TestTitle}: {c.Old} → {c.New}").ToList());

        var payload = Payload(w =>
        {
            WriteRunFields(w, events);
            w.WriteStartObject("counts");
            foreach (var kind in Enum.GetValues<Change>()) w.WriteNumber(CountName(kind), counts[kind]);
            w.WriteEndObject();
            w.WriteNumber("total", changes.Count);
            w.WriteBoolean("truncated", changes.Count > testsInPayload);
            w.WriteStartArray("tests");
            foreach (var c in ordered.Take(testsInPayload))
            {
                w.WriteStartObject();
                w.WriteString("testId", c.Test.TestId);
                w.WriteString("oldLabel", c.Old);
                w.WriteString("newLabel", c.New);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        var key = events.RunId is { } runId
            ? $"status/{runId}/{Digest(changes.Select(c => $"{c.Test.TestId}:{c.Old}:{c.New}"))}"
            : null;
        return new NotificationDraft(events.ProjectId, NotificationCategory.Test, severity, title, body.ToString(), payload, key);
    }

    private NotificationDraft QuarantineDraft(RunEvents events, List<TestQuarantineEventData> changes)
    {
        var quarantined = changes.Count(c => c.IsQuarantined);
        var released = changes.Count - quarantined;
        var where = InRun(events);
        var title = (quarantined, released) switch
        {
            (_, 0) => $"{Tests(quarantined)} quarantined{where}",
            (0, _) => $"{Tests(released)} released from quarantine{where}",
            _ => $"{Tests(quarantined)} quarantined and {released} released{where}",
        };
        var ordered = changes.OrderBy(c => c.IsQuarantined ? 0 : 1).ToList();
        var body = new StringBuilder();
        AppendList(body, ordered.Select(c =>
            $"{c.TestTitle}: {(c.IsQuarantined ? "quarantined" : "released")} {(c.Automatic ? "automatically" : $"by {c.By}")}").ToList());

        var payload = Payload(w =>
        {
            WriteRunFields(w, events);
            w.WriteNumber("quarantined", quarantined);
            w.WriteNumber("released", released);
            w.WriteNumber("total", changes.Count);
            w.WriteBoolean("truncated", changes.Count > testsInPayload);
            w.WriteStartArray("tests");
            foreach (var c in ordered.Take(testsInPayload))
            {
                w.WriteStartObject();
                w.WriteString("testId", c.TestId);
                w.WriteBoolean("isQuarantined", c.IsQuarantined);
                w.WriteBoolean("automatic", c.Automatic);
                w.WriteString("by", c.By);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        // Decisions outside a run (manual ones) are never replayed, and the same decision may legitimately recur.
        var key = events.RunId is { } runId
            ? $"quarantine/{runId}/{Digest(changes.Select(c => $"{c.TestId}:{c.IsQuarantined}"))}"
            : null;
        return new NotificationDraft(events.ProjectId, NotificationCategory.Test, quarantined > 0 ? NotificationSeverity.Info : NotificationSeverity.Success,
            title, body.ToString(), payload, key);
    }

    private static NotificationDraft RunFailedDraft(RunEvents events, RunEventData run)
    {
        var where = RunName(events, run);
        var title = run.FailedTests > 0
            ? $"{Capitalise(where)} failed: {run.FailedTests} of {Tests(run.TotalTests)} failed"
            : $"{Capitalise(where)} failed";
        var body = run.FailedTests > 0
            ? $"{run.FailedTests} of {Tests(run.TotalTests)} failed, {run.PassedTests} passed, {run.SkippedTests} skipped (pass rate {Percent(run.PassRate)})."
            : "The run failed without a failing test (the command's exit code, or no results).";
        return new NotificationDraft(events.ProjectId, NotificationCategory.Run, NotificationSeverity.Error, title, body,
            Payload(w => WriteRun(w, events, run)), $"run/{run.RunId}");
    }

    private static NotificationDraft Incident(RunEvents events, RunEventData run, int statusChanges, int quarantineChanges)
    {
        var where = RunName(events, run);
        var title = $"Infrastructure incident in {where}: {run.FailedTests} of {Tests(run.TotalTests)} failed";
        var body = new StringBuilder(
            "So many tests failed at once that the cause is likely the infrastructure, not the tests. " +
            "The flakiness scorer ignored this run and no per-test alerts were raised.");
        if (statusChanges + quarantineChanges > 0)
            body.Append(CultureInfo.InvariantCulture, $" Not notified one by one: {statusChanges} status and {quarantineChanges} quarantine changes.");
        var payload = Payload(w =>
        {
            WriteRun(w, events, run);
            w.WriteNumber("statusChanges", statusChanges);
            w.WriteNumber("quarantineChanges", quarantineChanges);
        });
        return new NotificationDraft(events.ProjectId, NotificationCategory.Run, NotificationSeverity.Warning, title, body.ToString(), payload, $"run/{run.RunId}");
    }

    // Per test the first old label and the last new one, kept when notable.
    private static List<(TestStatusEventData Test, string Old, string New, Change Change)> NotableChanges(IReadOnlyList<TestStatusEventData> events)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in events) first.TryAdd(e.TestId, e.OldLabel);
        var result = new List<(TestStatusEventData, string, string, Change)>();
        foreach (var last in LastPerTest(events, e => e.TestId))
        {
            var (old, @new) = (Normalise(first[last.TestId]), Normalise(last.NewLabel));
            if (old == @new) continue;
            Change? change = @new switch
            {
                "FLAKY" => Change.Flaky,
                "REGRESSION" => Change.Regressed,
                "BROKEN" => Change.Broke,
                "STABLE" when old is "FLAKY" or "REGRESSION" or "BROKEN" => Change.Recovered,
                _ => null,
            };
            if (change is { } c) result.Add((last, old, @new, c));
        }
        return result;
    }

    // The last event of each test, in the order each test first appeared.
    private static List<T> LastPerTest<T>(IReadOnlyList<T> events, Func<T, string> testId)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<T>();
        foreach (var e in events)
        {
            if (index.TryGetValue(testId(e), out var i)) result[i] = e;
            else
            {
                index[testId(e)] = result.Count;
                result.Add(e);
            }
        }
        return result;
    }

    private void AppendList(StringBuilder body, List<string> lines)
    {
        foreach (var line in lines.Take(titlesInBody)) body.Append("- ").Append(NotificationInbox.Clip(line, MaxTitleInBody)).Append('\n');
        if (lines.Count > titlesInBody) body.Append(CultureInfo.InvariantCulture, $"and {lines.Count - titlesInBody} more\n");
        if (body.Length > 0 && body[^1] == '\n') body.Length--;
    }

    private static bool IsFailed(RunEventData run) => string.Equals(run.Status, "failed", StringComparison.OrdinalIgnoreCase);

    private static string Normalise(string label) => label.Trim().ToUpperInvariant();

    private static NotificationSeverity Severity(Change change) => change switch
    {
        Change.Regressed or Change.Broke => NotificationSeverity.Error,
        Change.Flaky => NotificationSeverity.Warning,
        _ => NotificationSeverity.Success,
    };

    private static string Phrase(Change change) => change switch
    {
        Change.Regressed => "regressed",
        Change.Broke => "broke",
        Change.Flaky => "turned flaky",
        _ => "recovered",
    };

    private static string CountName(Change change) => change switch
    {
        Change.Regressed => "regressed",
        Change.Broke => "broken",
        Change.Flaky => "flaky",
        _ => "recovered",
    };

    private static string Tests(int n) => n == 1 ? "1 test" : $"{n} tests";

    private static string Percent(double passRate) =>
        (passRate <= 1 ? passRate * 100 : passRate).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    // " in run on main (a1b2c3d)", " in run 2026-…_uuid", or "" for decisions outside a run.
    private static string InRun(RunEvents events) =>
        events.Run is { } run ? $" in {RunName(events, run)}" : events.RunId is { } id ? $" in run {id}" : "";

    private static string RunName(RunEvents events, RunEventData run)
    {
        var commit = run.CommitSha is { Length: > 0 } sha ? sha[..Math.Min(7, sha.Length)] : null;
        return (run.Branch is { Length: > 0 } branch ? branch : null, commit) switch
        {
            ({ } b, { } c) => $"run on {b} ({c})",
            ({ } b, null) => $"run on {b}",
            (null, { } c) => $"run at {c}",
            _ => $"run {events.RunId ?? run.RunId}",
        };
    }

    private static void WriteRunFields(Utf8JsonWriter w, RunEvents events)
    {
        if (events.RunId is { } runId) w.WriteString("runId", runId);
        else w.WriteNull("runId");
        w.WriteString("projectId", events.ProjectId);
        if (events.Run is { } run)
        {
            WriteNullable(w, "branch", run.Branch);
            WriteNullable(w, "commitSha", run.CommitSha);
        }
    }

    private static void WriteRun(Utf8JsonWriter w, RunEvents events, RunEventData run)
    {
        w.WriteString("runId", run.RunId);
        w.WriteString("projectId", events.ProjectId);
        w.WriteString("status", run.Status);
        WriteNullable(w, "branch", run.Branch);
        WriteNullable(w, "commitSha", run.CommitSha);
        w.WriteNumber("totalTests", run.TotalTests);
        w.WriteNumber("passedTests", run.PassedTests);
        w.WriteNumber("failedTests", run.FailedTests);
        w.WriteNumber("skippedTests", run.SkippedTests);
        w.WriteNumber("flakyTests", run.FlakyTests);
        w.WriteNumber("passRate", run.PassRate);
        if (run.Duration is { } d) w.WriteNumber("duration", d);
        else w.WriteNull("duration");
        w.WriteBoolean("infrastructureIncident", run.InfrastructureIncident);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static string Payload(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Digest(IEnumerable<string> items)
    {
        var text = string.Join('\n', items.Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static (string? RunId, RunEventData? Run, TestStatusEventData? Status, TestQuarantineEventData? Quarantine) Decode(LiveEvent e)
    {
        try
        {
            switch (e.Type)
            {
                case EventTypes.RunCompleted or EventTypes.RunFailed:
                    var run = JsonSerializer.Deserialize(e.Data, EventPayloadJsonContext.Default.RunEventData);
                    if (run?.RunId is null) return default;
                    if (e.Type == EventTypes.RunFailed && !IsFailed(run)) run = run with { Status = "failed" };
                    return (run.RunId, run, null, null);
                case EventTypes.TestStatusChanged:
                    var status = JsonSerializer.Deserialize(e.Data, EventPayloadJsonContext.Default.TestStatusEventData);
                    return status is { TestId: not null, OldLabel: not null, NewLabel: not null } ? (status.RunId, null, status with { TestTitle = status.TestTitle ?? status.TestId }, null) : default;
                case EventTypes.TestQuarantined or EventTypes.TestUnquarantined:
                    var quarantine = JsonSerializer.Deserialize(e.Data, EventPayloadJsonContext.Default.TestQuarantineEventData);
                    if (quarantine?.TestId is null) return default;
                    quarantine = quarantine with
                    {
                        IsQuarantined = e.Type == EventTypes.TestQuarantined,
                        TestTitle = quarantine.TestTitle ?? quarantine.TestId,
                        By = quarantine.By ?? (quarantine.Automatic ? "auto" : "someone"),
                    };
                    return (quarantine.RunId, null, null, quarantine);
                default:
                    return default;
            }
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>Reads the camelCase payloads of live events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(RunEventData))]
[JsonSerializable(typeof(TestStatusEventData))]
[JsonSerializable(typeof(TestQuarantineEventData))]
internal sealed partial class EventPayloadJsonContext : JsonSerializerContext;
