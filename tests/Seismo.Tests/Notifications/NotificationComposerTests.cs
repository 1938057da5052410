using System.Text.Json;
using Seismo.Grains;
using Seismo.Grains.Notifications;

namespace Seismo.Tests.Notifications;

public sealed class NotificationComposerTests
{
    private static readonly Guid Project = Guid.Parse("0195f3a2-0000-7000-8000-000000000001");
    private const string RunId = "2026-04-15T09:23:41.123456_3fa85f64-5717-4562-b3fc-2c963f66afa6";
    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);
    private readonly NotificationComposer _composer = new();
    private long _sequence;

    [Fact]
    public void A_single_test_turning_flaky_raises_one_warning_naming_it()
    {
        var drafts = _composer.Compose([Passed(), Status("t_1", "Cart adds an item", "SUSPECTED", "FLAKY")]);

        var draft = Assert.Single(drafts);
        Assert.Equal(NotificationCategory.Test, draft.Category);
        Assert.Equal(NotificationSeverity.Warning, draft.Severity);
        Assert.Equal(Project, draft.ProjectId);
        Assert.Equal("1 test turned flaky in run on main (a1b2c3d)", draft.Title);
        Assert.Equal("- Cart adds an item: SUSPECTED → FLAKY", draft.Body);
        var payload = Payload(draft);
        Assert.Equal(RunId, payload.GetProperty("runId").GetString());
        Assert.Equal(Project, payload.GetProperty("projectId").GetGuid());
        Assert.Equal("main", payload.GetProperty("branch").GetString());
        Assert.Equal(1, payload.GetProperty("counts").GetProperty("flaky").GetInt32());
        var test = Assert.Single(payload.GetProperty("tests").EnumerateArray());
        Assert.Equal("t_1", test.GetProperty("testId").GetString());
        Assert.Equal("SUSPECTED", test.GetProperty("oldLabel").GetString());
        Assert.Equal("FLAKY", test.GetProperty("newLabel").GetString());
        Assert.StartsWith($"status/{RunId}/", draft.Key);
    }

    [Fact]
    public void A_storm_of_300_changes_in_one_run_is_one_notification_listing_five_and_carrying_all()
    {
        var events = new List<LiveEvent> { Passed() };
        for (var i = 0; i < 300; i++) events.Add(Status($"t_{i:D3}", $"Suite test {i:D3}", "STABLE", "FLAKY"));

        var draft = Assert.Single(_composer.Compose(events));
        Assert.Equal("300 tests turned flaky in run on main (a1b2c3d)", draft.Title);
        var lines = draft.Body.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("- Suite test 000: STABLE → FLAKY", lines[0]);
        Assert.Equal("and 295 more", lines[^1]);
        var payload = Payload(draft);
        Assert.Equal(300, payload.GetProperty("total").GetInt32());
        Assert.False(payload.GetProperty("truncated").GetBoolean());
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"t_{i:D3}"),
            payload.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("testId").GetString()));
    }

    [Fact]
    public void Mixed_changes_take_the_worst_severity_and_list_the_worst_first()
    {
        var drafts = _composer.Compose([
            Status("t_f", "flaky one", "STABLE", "FLAKY"),
            Status("t_r", "recovered one", "FLAKY", "STABLE"),
            Status("t_g", "regressed one", "STABLE", "REGRESSION"),
            Status("t_b", "broken one", "REGRESSION", "BROKEN"),
            Passed()]);

        var draft = Assert.Single(drafts);
        Assert.Equal(NotificationSeverity.Error, draft.Severity);
        Assert.Equal("4 tests changed status in run on main (a1b2c3d)", draft.Title);
        Assert.Equal(
            "1 regressed, 1 broke, 1 turned flaky, 1 recovered.\n" +
            "- regressed one: STABLE → REGRESSION\n- broken one: REGRESSION → BROKEN\n- flaky one: STABLE → FLAKY\n- recovered one: FLAKY → STABLE",
            draft.Body);
        var counts = Payload(draft).GetProperty("counts");
        Assert.Equal((1, 1, 1, 1), (counts.GetProperty("regressed").GetInt32(), counts.GetProperty("broken").GetInt32(),
            counts.GetProperty("flaky").GetInt32(), counts.GetProperty("recovered").GetInt32()));
    }

    [Theory]
    [InlineData("STABLE", "REGRESSION", NotificationSeverity.Error, "1 test regressed")]
    [InlineData("SUSPECTED", "BROKEN", NotificationSeverity.Error, "1 test broke")]
    [InlineData("REGRESSION", "STABLE", NotificationSeverity.Success, "1 test recovered")]
    [InlineData("BROKEN", "STABLE", NotificationSeverity.Success, "1 test recovered")]
    [InlineData("stable", "flaky", NotificationSeverity.Warning, "1 test turned flaky")]
    public void Each_kind_of_change_has_its_severity(string from, string to, NotificationSeverity severity, string title)
    {
        var draft = Assert.Single(_composer.Compose([Status("t_1", "x", from, to), Passed()]));
        Assert.Equal(severity, draft.Severity);
        Assert.Equal($"{title} in run on main (a1b2c3d)", draft.Title);
    }

    [Fact]
    public void An_infrastructure_incident_raises_one_warning_and_no_per_test_alerts()
    {
        var events = new List<LiveEvent> { Run(EventTypes.RunFailed, "failed", failed: 400, total: 500, incident: true) };
        for (var i = 0; i < 250; i++) events.Add(Status($"t_{i}", $"test {i}", "STABLE", "REGRESSION"));
        events.Add(Quarantine("t_q", "quarantined one", quarantined: true));

        var draft = Assert.Single(_composer.Compose(events));
        Assert.Equal(NotificationCategory.Run, draft.Category);
        Assert.Equal(NotificationSeverity.Warning, draft.Severity);
        Assert.Equal("Infrastructure incident in run on main (a1b2c3d): 400 of 500 tests failed", draft.Title);
        Assert.Contains("no per-test alerts", draft.Body);
        Assert.Contains("250 status and 1 quarantine changes", draft.Body);
        var payload = Payload(draft);
        Assert.True(payload.GetProperty("infrastructureIncident").GetBoolean());
        Assert.Equal(250, payload.GetProperty("statusChanges").GetInt32());
        Assert.Equal(400, payload.GetProperty("failedTests").GetInt32());
        Assert.Equal($"run/{RunId}", draft.Key);
    }

    [Fact]
    public void An_infrastructure_incident_on_its_own_still_raises_its_warning()
    {
        var draft = Assert.Single(_composer.Compose([Run(EventTypes.RunFailed, "failed", failed: 90, total: 100, incident: true)]));
        Assert.Equal(NotificationSeverity.Warning, draft.Severity);
        Assert.DoesNotContain("Not notified", draft.Body);
    }

    [Fact]
    public void Quarantined_tests_raise_one_info_and_released_ones_a_success()
    {
        var quarantined = Assert.Single(_composer.Compose([Passed(), Quarantine("t_1", "one", true), Quarantine("t_2", "two", true)]));
        Assert.Equal((NotificationCategory.Test, NotificationSeverity.Info), (quarantined.Category, quarantined.Severity));
        Assert.Equal("2 tests quarantined in run on main (a1b2c3d)", quarantined.Title);
        Assert.Equal("- one: quarantined automatically\n- two: quarantined automatically", quarantined.Body);
        var tests = Payload(quarantined).GetProperty("tests").EnumerateArray().ToList();
        Assert.All(tests, t => Assert.True(t.GetProperty("isQuarantined").GetBoolean()));

        var released = Assert.Single(_composer.Compose([Passed(), Quarantine("t_1", "one", false, automatic: false, by: "alice")]));
        Assert.Equal(NotificationSeverity.Success, released.Severity);
        Assert.Equal("1 test released from quarantine in run on main (a1b2c3d)", released.Title);
        Assert.Equal("- one: released by alice", released.Body);

        var mixed = Assert.Single(_composer.Compose([Quarantine("t_1", "one", true), Quarantine("t_2", "two", false)]));
        Assert.Equal(NotificationSeverity.Info, mixed.Severity);
        Assert.Equal($"1 test quarantined and 1 released in run {RunId}", mixed.Title);
    }

    [Fact]
    public void A_manual_quarantine_outside_a_run_is_notified_every_time()
    {
        var draft = Assert.Single(_composer.Compose([Quarantine("t_1", "one", true, automatic: false, by: "alice", runId: null)]));
        Assert.Equal("1 test quarantined", draft.Title);
        Assert.Null(draft.Key);
        Assert.Equal(JsonValueKind.Null, Payload(draft).GetProperty("runId").ValueKind);
    }

    [Fact]
    public void A_failed_run_without_test_changes_raises_one_error()
    {
        var draft = Assert.Single(_composer.Compose([Run(EventTypes.RunFailed, "failed", failed: 3, total: 10)]));
        Assert.Equal((NotificationCategory.Run, NotificationSeverity.Error), (draft.Category, draft.Severity));
        Assert.Equal("Run on main (a1b2c3d) failed: 3 of 10 tests failed", draft.Title);
        Assert.Equal("3 of 10 tests failed, 7 passed, 0 skipped (pass rate 70%).", draft.Body);
        Assert.Equal($"run/{RunId}", draft.Key);
        var payload = Payload(draft);
        Assert.Equal("failed", payload.GetProperty("status").GetString());
        Assert.False(payload.GetProperty("infrastructureIncident").GetBoolean());
    }

    [Fact]
    public void A_failed_run_with_test_changes_raises_the_changes_then_the_failure()
    {
        var drafts = _composer.Compose([
            Run(EventTypes.RunFailed, "failed", failed: 2, total: 10),
            Status("t_1", "one", "STABLE", "REGRESSION"),
            Status("t_2", "two", "STABLE", "REGRESSION")]);

        Assert.Equal(2, drafts.Length);
        Assert.Equal("2 tests regressed in run on main (a1b2c3d)", drafts[0].Title);
        Assert.Equal(NotificationCategory.Run, drafts[1].Category);
        Assert.Equal(NotificationSeverity.Error, drafts[1].Severity);
    }

    [Fact]
    public void A_run_failing_without_failed_tests_says_so()
    {
        var draft = Assert.Single(_composer.Compose([Run(EventTypes.RunFailed, "failed", failed: 0, total: 10, branch: null, commit: null)]));
        Assert.Equal($"Run {RunId} failed", draft.Title);
        Assert.Contains("without a failing test", draft.Body);
    }

    [Fact]
    public void Nothing_notable_raises_nothing()
    {
        Assert.Empty(_composer.Compose([
            Passed(),
            Status("t_1", "a", "STABLE", "SUSPECTED"),
            Status("t_2", "b", "SUSPECTED", "STABLE"),
            Status("t_3", "c", "FLAKY", "FLAKY"),
            Status("t_4", "d", "FLAKY", "SUSPECTED"),
            Event(EventTypes.UploadProgress, "{\"percent\":50}"),
            Event(EventTypes.NotificationCreated, "{}")]));
        Assert.Empty(_composer.Compose([]));
    }

    [Fact]
    public void A_test_changing_twice_in_a_run_counts_once_from_its_first_label_to_its_last()
    {
        var draft = Assert.Single(_composer.Compose([Status("t_1", "a", "STABLE", "SUSPECTED"), Status("t_1", "a", "SUSPECTED", "FLAKY")]));
        Assert.Equal("- a: STABLE → FLAKY", draft.Body);
        Assert.Empty(_composer.Compose([Status("t_1", "a", "STABLE", "FLAKY"), Status("t_1", "a", "FLAKY", "STABLE")]));
    }

    [Fact]
    public void Events_of_several_runs_are_grouped_per_run()
    {
        var other = "2026-04-15T09:30:00.000000_00000000-0000-0000-0000-000000000002";
        var drafts = _composer.Compose([
            Status("t_1", "a", "STABLE", "FLAKY"),
            Status("t_2", "b", "STABLE", "FLAKY", runId: other),
            Status("t_3", "c", "STABLE", "FLAKY")]);

        Assert.Equal(2, drafts.Length);
        Assert.Equal($"2 tests turned flaky in run {RunId}", drafts[0].Title);
        Assert.Equal($"1 test turned flaky in run {other}", drafts[1].Title);
    }

    [Fact]
    public void Unreadable_payloads_are_ignored()
    {
        Assert.Empty(_composer.Compose([Event(EventTypes.TestStatusChanged, "not json"), Event(EventTypes.RunFailed, "[1,2]"), Event(EventTypes.TestQuarantined, "{}")]));
    }

    [Fact]
    public void The_same_events_compose_to_the_same_keys_and_other_changes_to_other_keys()
    {
        LiveEvent[] events = [Run(EventTypes.RunFailed, "failed", failed: 1, total: 2), Status("t_1", "a", "STABLE", "REGRESSION")];
        var first = _composer.Compose(events).Select(d => d.Key);
        var again = _composer.Compose(events).Select(d => d.Key);
        Assert.Equal(first, again);
        var more = _composer.Compose([Status("t_2", "b", "STABLE", "REGRESSION")]);
        Assert.NotEqual(first.First(), more[0].Key);
    }

    [Fact]
    public void Payload_lists_are_capped_and_say_so()
    {
        var composer = new NotificationComposer(titlesInBody: 2, testsInPayload: 10);
        var events = Enumerable.Range(0, 25).Select(i => Status($"t_{i}", $"long title {new string('x', 300)}", "STABLE", "FLAKY")).ToList();

        var draft = Assert.Single(composer.Compose(events));
        var payload = Payload(draft);
        Assert.Equal(25, payload.GetProperty("total").GetInt32());
        Assert.True(payload.GetProperty("truncated").GetBoolean());
        Assert.Equal(10, payload.GetProperty("tests").GetArrayLength());
        var lines = draft.Body.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines[..2], l => Assert.True(l.Length <= 122 && l.EndsWith('…'), l));
        Assert.Equal("and 23 more", lines[2]);
    }

    private LiveEvent Passed() => Run(EventTypes.RunCompleted, "passed", failed: 0, total: 10);

    private LiveEvent Run(string type, string status, int failed, int total, bool incident = false, string? branch = "main", string? commit = "a1b2c3d4e5f6")
    {
        var data = new RunEventData(RunId, Project, status, total, total - failed, failed, 0, 0, total == 0 ? 0 : (total - failed) / (double)total,
            1234, branch, commit, incident);
        return Event(type, JsonSerializer.Serialize(data, Camel));
    }

    private LiveEvent Status(string testId, string title, string from, string to, string? runId = RunId) =>
        Event(EventTypes.TestStatusChanged, JsonSerializer.Serialize(
            new TestStatusEventData(testId, Project, title, null, from, to, "reason", 0.1, runId), Camel));

    private LiveEvent Quarantine(string testId, string title, bool quarantined, bool automatic = true, string by = "auto", string? runId = RunId) =>
        Event(quarantined ? EventTypes.TestQuarantined : EventTypes.TestUnquarantined, JsonSerializer.Serialize(
            new TestQuarantineEventData(testId, Project, title, null, quarantined, automatic, by, 0.2, runId), Camel));

    private LiveEvent Event(string type, string data) =>
        new(Guid.NewGuid().ToString(), type, EventTypes.Version, Project, Guid.Empty, ++_sequence, DateTimeOffset.UtcNow, data);

    private static JsonElement Payload(NotificationDraft draft)
    {
        using var document = JsonDocument.Parse(draft.Payload);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }
}
