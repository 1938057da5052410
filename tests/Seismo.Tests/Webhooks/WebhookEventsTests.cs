using Seismo.Domain.Webhooks;
using Seismo.Grains;

namespace Seismo.Tests.Webhooks;

public sealed class WebhookEventsTests
{
    [Theory]
    [InlineData(EventTypes.RunCompleted, null, "run.completed")]
    [InlineData(EventTypes.RunFailed, null, "run.failed")]
    [InlineData(EventTypes.TestStatusChanged, "FLAKY", "test.flaky")]
    [InlineData(EventTypes.TestStatusChanged, "REGRESSION", "test.regression")]
    [InlineData(EventTypes.TestStatusChanged, "BROKEN", "test.broken")]
    [InlineData(EventTypes.TestStatusChanged, "STABLE", "test.recovered")]
    [InlineData(EventTypes.TestStatusChanged, "SUSPECTED", "test.suspected")]
    [InlineData(EventTypes.TestQuarantined, null, "test.quarantined")]
    [InlineData(EventTypes.TestUnquarantined, null, "test.unquarantined")]
    public void Live_events_map_to_webhook_event_names(string type, string? newLabel, string expected)
    {
        Assert.Equal(expected, WebhookEvents.NameFor(type, newLabel));
        Assert.True(WebhookEvents.IsKnown(expected));
    }

    [Theory]
    [InlineData(EventTypes.UploadProgress, null)]
    [InlineData(EventTypes.NotificationCreated, null)]
    [InlineData(EventTypes.TestStatusChanged, "UNKNOWN")]
    [InlineData(EventTypes.TestStatusChanged, null)]
    [InlineData("run.started", null)]
    public void Other_events_are_not_sent_to_webhooks(string type, string? newLabel) => Assert.Null(WebhookEvents.NameFor(type, newLabel));

    [Fact]
    public void A_status_change_is_named_after_the_label_in_its_payload()
    {
        var data = System.Text.Json.JsonSerializer.Serialize(new
        {
            testId = "t_x", projectId = Guid.NewGuid(), testTitle = "adds", oldLabel = "STABLE", newLabel = "FLAKY", reason = "r", flakinessScore = 0.2,
        });
        Assert.Equal("test.flaky", WebhookEvents.NameForPayload(EventTypes.TestStatusChanged, data));
        Assert.Equal("test.recovered", WebhookEvents.NameForPayload(EventTypes.TestStatusChanged, """{"oldLabel":"FLAKY","newLabel":"STABLE"}"""));
        Assert.Null(WebhookEvents.NameForPayload(EventTypes.TestStatusChanged, "not json"));
        Assert.Null(WebhookEvents.NameForPayload(EventTypes.TestStatusChanged, """{"newLabel":3}"""));
        Assert.Equal("run.failed", WebhookEvents.NameForPayload(EventTypes.RunFailed, "{}"));
    }

    [Fact]
    public void Every_event_type_constant_the_mapping_reads_matches_the_event_model()
    {
        Assert.Equal(EventTypes.RunCompleted, WebhookEvents.RunCompleted);
        Assert.Equal(EventTypes.RunFailed, WebhookEvents.RunFailed);
        Assert.Equal(EventTypes.TestQuarantined, WebhookEvents.TestQuarantined);
        Assert.Equal(EventTypes.TestUnquarantined, WebhookEvents.TestUnquarantined);
        Assert.Equal(9, WebhookEvents.All.Count);
    }
}
