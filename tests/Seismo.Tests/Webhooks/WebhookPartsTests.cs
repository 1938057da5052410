using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Seismo.Domain.Webhooks;

namespace Seismo.Tests.Webhooks;

public sealed class WebhookPartsTests
{
    [Fact]
    public void The_signature_is_the_hex_hmac_of_timestamp_dot_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"e1"}""");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_x"), Encoding.UTF8.GetBytes("""1700000000.{"id":"e1"}""")));
        Assert.Equal(expected, WebhookSignature.Compute("whsec_x", "1700000000", body));
        Assert.True(WebhookSignature.Verify("whsec_x", "1700000000", body, expected));
        Assert.False(WebhookSignature.Verify("whsec_y", "1700000000", body, expected));
        Assert.False(WebhookSignature.Verify("whsec_x", "1700000001", body, expected));
        Assert.False(WebhookSignature.Verify("whsec_x", "1700000000", body, null));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_spans_about_an_hour_by_default()
    {
        var b = TimeSpan.FromMinutes(1);
        var max = TimeSpan.FromHours(1);
        Assert.Equal(TimeSpan.FromMinutes(1), WebhookBackoff.Delay(1, b, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookBackoff.Delay(2, b, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(32), WebhookBackoff.Delay(6, b, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(0.8), WebhookBackoff.Delay(1, b, max, 0));
        Assert.Equal(TimeSpan.FromMinutes(1.2), WebhookBackoff.Delay(1, b, max, 1));
        Assert.Equal(TimeSpan.FromHours(1), WebhookBackoff.Delay(20, b, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(63), WebhookBackoff.NominalSpan(7, b, max));
    }

    [Fact]
    public void Webhook_ids_carry_their_project_and_only_the_canonical_spelling_parses()
    {
        var project = Guid.NewGuid();
        var hook = Guid.NewGuid();
        var id = WebhookIds.Format(project, hook);
        Assert.StartsWith("wh_", id);
        Assert.True(WebhookIds.TryParse(id, out var p, out var h));
        Assert.Equal((project, hook), (p, h));
        foreach (var bad in new[] { null, "", "wh_", "wh_abc", id + "A", id[..^1], "xx" + id[2..], id.Replace('_', '/') })
            Assert.False(WebhookIds.TryParse(bad, out _, out _), bad);
        Assert.NotEqual(WebhookIds.NewDeliveryId(), WebhookIds.NewDeliveryId());
    }

    [Fact]
    public void The_payload_carries_the_event_and_its_data_unchanged()
    {
        var project = Guid.NewGuid();
        var account = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 4, 15, 9, 23, 41, TimeSpan.Zero);
        var body = WebhookPayload.Build("ev1", "test.status_changed", "test.flaky", 1, 42, at, project, account, """{"testId":"t_1","newLabel":"FLAKY"}""");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal("ev1", root.GetProperty("id").GetString());
        Assert.Equal("test.status_changed", root.GetProperty("type").GetString());
        Assert.Equal("test.flaky", root.GetProperty("event").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(42, root.GetProperty("sequence").GetInt64());
        Assert.Equal(at, root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(project, root.GetProperty("projectId").GetGuid());
        Assert.Equal(account, root.GetProperty("accountId").GetGuid());
        Assert.Equal("FLAKY", root.GetProperty("data").GetProperty("newLabel").GetString());
        Assert.ThrowsAny<JsonException>(() => WebhookPayload.Build("e", "t", "n", 1, 1, at, project, account, "{broken"));
    }

    [Theory]
    [InlineData("https://hooks.example.com/x", null)]
    [InlineData("http://example.com:8080/path?q=1", null)]
    [InlineData("ftp://example.com/", "invalid_scheme")]
    [InlineData("file:///etc/passwd", "invalid_scheme")]
    [InlineData("javascript:alert(1)", "invalid_scheme")]
    [InlineData("not a url", "invalid_format")]
    [InlineData("relative/path", "invalid_format")]
    [InlineData("/etc/passwd", "invalid_scheme")]
    [InlineData("https://user:pass@example.com/", "credentials_in_url")]
    [InlineData("http://169.254.169.254/latest/meta-data", "forbidden_address")]
    [InlineData("http://127.0.0.1:8080/", "forbidden_address")]
    [InlineData("http://2130706433/", "forbidden_address")]
    [InlineData("http://0x7f.0.0.1/", "forbidden_address")]
    [InlineData("http://10.1.2.3/", "forbidden_address")]
    [InlineData("http://[::1]/", "forbidden_address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "forbidden_address")]
    [InlineData("http://[fd00::1]/", "forbidden_address")]
    [InlineData("http://0.0.0.0/", "forbidden_address")]
    [InlineData("http://8.8.8.8/", null)]
    public void Urls_are_absolute_http_without_credentials_or_private_literals(string url, string? reason) =>
        Assert.Equal(reason, WebhookRules.CheckUrl(url, allowPrivateTargets: false, out _)?.Reason);

    [Fact]
    public void Private_literals_pass_when_private_targets_are_allowed()
    {
        Assert.Null(WebhookRules.CheckUrl("http://127.0.0.1:9000/hook", allowPrivateTargets: true, out var uri));
        Assert.Equal(9000, uri!.Port);
        Assert.Equal("invalid_scheme", WebhookRules.CheckUrl("gopher://127.0.0.1/", allowPrivateTargets: true, out _)?.Reason);
    }

    [Theory]
    [InlineData("X-Custom", "value", null)]
    [InlineData("Authorization", "Bearer abc", null)]
    [InlineData("X-Seismo-Signature", "forged", "reserved_header")]
    [InlineData("x-seismo-event", "forged", "reserved_header")]
    [InlineData("Host", "evil", "reserved_header")]
    [InlineData("Content-Length", "1", "reserved_header")]
    [InlineData("Bad Name", "v", "invalid_header_name")]
    [InlineData("", "v", "invalid_header_name")]
    [InlineData("X-Split", "a\r\nInjected: 1", "invalid_header_value")]
    public void Custom_headers_are_tokens_with_one_line_values_and_not_reserved(string name, string value, string? reason) =>
        Assert.Equal(reason, WebhookRules.CheckHeader(name, value)?.Reason);
}
