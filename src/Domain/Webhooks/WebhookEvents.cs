using System.Text.Json;

namespace Seismo.Domain.Webhooks;

/// <summary>
/// The event names webhooks subscribe to, and how a live event maps to one. Runs keep their type; a label change
/// becomes the name of the label the test moved to (<c>test.flaky</c>, <c>test.regression</c>, …); quarantine events
/// keep their type. Events of other types (upload progress, notifications) are not sent to webhooks.
/// </summary>
public static class WebhookEvents
{
    public const string RunCompleted = "run.completed";
    public const string RunFailed = "run.failed";
    public const string TestFlaky = "test.flaky";
    public const string TestRegression = "test.regression";
    public const string TestBroken = "test.broken";
    public const string TestRecovered = "test.recovered";
    public const string TestSuspected = "test.suspected";
    public const string TestQuarantined = "test.quarantined";
    public const string TestUnquarantined = "test.unquarantined";

    // The live event types this class reads (the wire names of Seismo.Grains.EventTypes).
    private const string StatusChangedType = "test.status_changed";

    /// <summary>Every name a webhook may subscribe to, in the order the README lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        RunCompleted, RunFailed, TestFlaky, TestRegression, TestBroken, TestRecovered, TestSuspected, TestQuarantined, TestUnquarantined,
    ];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>The webhook event name of a live event, or null when webhooks do not carry it.</summary>
    /// <param name="eventType">The live event's type, e.g. <c>test.status_changed</c>.</param>
    /// <param name="newLabel">For a status change, the label the test moved to (STABLE, SUSPECTED, FLAKY, REGRESSION, BROKEN).</param>
    public static string? NameFor(string eventType, string? newLabel) => eventType switch
    {
        RunCompleted => RunCompleted,
        RunFailed => RunFailed,
        TestQuarantined => TestQuarantined,
        TestUnquarantined => TestUnquarantined,
        StatusChangedType => newLabel?.ToUpperInvariant() switch
        {
            "FLAKY" => TestFlaky,
            "REGRESSION" => TestRegression,
            "BROKEN" => TestBroken,
            "STABLE" => TestRecovered,
            "SUSPECTED" => TestSuspected,
            _ => null,
        },
        _ => null,
    };

    /// <summary>The webhook event name of a live event given its JSON payload (camelCase, <c>newLabel</c> for status changes).</summary>
    public static string? NameForPayload(string eventType, string data)
    {
        if (eventType != StatusChangedType) return NameFor(eventType, null);
        try
        {
            using var doc = JsonDocument.Parse(data);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("newLabel", out var label) && label.ValueKind == JsonValueKind.String
                ? NameFor(eventType, label.GetString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
