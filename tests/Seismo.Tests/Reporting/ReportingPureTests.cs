using System.Text.Json;
using Seismo.Domain.Reporting;

namespace Seismo.Tests.Reporting;

/// <summary>The pure parts of the reporting API: steps, suite trees, token buckets, artifact formats and link signing.</summary>
public sealed class ReportingPureTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Steps_are_rewritten_in_one_shape_with_playwright_categories_mapped()
    {
        var (json, count, error) = ReportedSteps.Normalize(Json("""
            [{"title":"a","category":"pw:api","status":"passed","duration":5,"startTime":"x",
              "steps":[{"title":"b","category":"expect","error":{"message":"no","stack":"s"}}]},
             {"title":"c","category":"hook","steps":[]}]
            """));
        Assert.Null(error);
        Assert.Equal(3, count);
        Assert.Equal("""[{"title":"a","category":"action","status":"passed","duration":5,"error":null,"steps":[{"title":"b","category":"assertion","status":null,"duration":null,"error":{"message":"no"}}]},{"title":"c","category":"hook","status":null,"duration":null,"error":null}]""", json);
    }

    [Theory]
    [InlineData("""{"title":"a"}""", "steps", "invalid_type")]
    [InlineData("""[{"title":1}]""", "steps[0].title", "invalid_type")]
    [InlineData("""[{"title":"a","duration":-1}]""", "steps[0].duration", "invalid_type")]
    [InlineData("""[{"title":"a","status":"ok"}]""", "steps[0].status", "invalid_value")]
    [InlineData("""[{"title":"a","error":"x"}]""", "steps[0].error", "invalid_type")]
    [InlineData("""[{"title":"a","steps":{}}]""", "steps[0].steps", "invalid_type")]
    [InlineData("""[3]""", "steps[0]", "invalid_type")]
    public void Bad_steps_name_the_step(string steps, string field, string reason)
    {
        var (_, _, error) = ReportedSteps.Normalize(Json(steps));
        Assert.Equal(field, error!.Field);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Steps_are_bounded_in_depth()
    {
        var deep = string.Concat(Enumerable.Repeat("""[{"title":"a","steps":""", ReportedSteps.MaxDepth + 1)) + "[]" + new string('}', 0)
            + string.Concat(Enumerable.Repeat("}]", ReportedSteps.MaxDepth + 1));
        var (_, _, error) = ReportedSteps.Normalize(JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 200 }).RootElement);
        Assert.Equal("too_deep", error!.Reason);
    }

    [Fact]
    public void Suites_form_a_tree_and_a_loop_is_not_lost()
    {
        var tree = SuiteTree.Build([new("r", "Root", null, null), new("c", "Child", null, "r"), new("g", "Grand", null, "c"),
            new("x", "X", null, "y"), new("y", "Y", null, "x"), new("o", "Orphan", null, "missing")]);
        Assert.Equal(["r", "o", "x"], tree.Select(n => n.Id).ToArray());
        Assert.Equal("g", tree[0].Children[0].Children[0].Id);
        Assert.Equal("y", tree[2].Children[0].Id);
        var parents = new Dictionary<string, string?> { ["r"] = null, ["c"] = "r", ["g"] = "c" };
        Assert.True(SuiteTree.WouldCycle(parents, "r", "g"));
        Assert.False(SuiteTree.WouldCycle(parents, "g", "r"));
    }

    [Fact]
    public void A_token_bucket_admits_its_limit_then_refills_continuously()
    {
        var bucket = new TokenBucket(3, TimeSpan.FromMinutes(1));
        var t = DateTimeOffset.UnixEpoch;
        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(bucket.TryTake(t).Allowed));
        var refused = bucket.TryTake(t);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter);
        Assert.False(bucket.TryTake(t.AddSeconds(19)).Allowed);
        Assert.True(bucket.TryTake(t.AddSeconds(20)).Allowed);
        // A long pause refills to the limit, never beyond.
        var later = t.AddHours(1);
        Assert.Equal(2, bucket.TryTake(later).Remaining);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, "webp")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41, 0x56, 0x49, 0x20 }, "avi")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "webm")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6F, 0x6D }, "mp4")]
    [InlineData(new byte[] { 0, 0, 0, 0x14, 0x66, 0x74, 0x79, 0x70, 0x71, 0x74, 0x20, 0x20 }, "mov")]
    [InlineData(new byte[] { 0x50, 0x4B, 3, 4 }, "zip")]
    public void Formats_are_recognised_by_their_first_bytes(byte[] head, string format) =>
        Assert.Equal(format, ArtifactFormats.Sniff(head)!.Name);

    [Fact]
    public void A_type_refuses_other_formats_and_extensions()
    {
        var screenshot = ArtifactFormats.Types["screenshot"];
        var png = ArtifactFormats.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Assert.Null(ArtifactFormats.Refusal(screenshot, "a.PNG", png));
        Assert.Null(ArtifactFormats.Refusal(screenshot, "noextension", png));
        Assert.NotNull(ArtifactFormats.Refusal(screenshot, "a.txt", png));
        Assert.NotNull(ArtifactFormats.Refusal(screenshot, "a.png", ArtifactFormats.Sniff("hello"u8)));
        Assert.NotNull(ArtifactFormats.Refusal(ArtifactFormats.Types["trace"], "a.zip", png));
        Assert.Equal(200 * ArtifactFormats.MiB, ArtifactFormats.LargestCap);
    }

    [Fact]
    public void Signed_links_verify_until_they_expire_and_never_when_altered()
    {
        var signer = new ArtifactUrlSigner(new byte[32]);
        var now = DateTimeOffset.UnixEpoch.AddDays(1000);
        var expires = now.AddHours(1);
        var token = signer.Sign("/a/b.png", expires);
        var unix = expires.ToUnixTimeSeconds().ToString();
        Assert.Equal(ArtifactUrlSigner.Verdict.Valid, signer.Verify("/a/b.png", unix, token, now));
        Assert.Equal(ArtifactUrlSigner.Verdict.Expired, signer.Verify("/a/b.png", unix, token, expires));
        Assert.Equal(ArtifactUrlSigner.Verdict.Invalid, signer.Verify("/a/c.png", unix, token, now));
        Assert.Equal(ArtifactUrlSigner.Verdict.Invalid, signer.Verify("/a/b.png", (expires.ToUnixTimeSeconds() + 1).ToString(), token, now));
        Assert.Equal(ArtifactUrlSigner.Verdict.Invalid, signer.Verify("/a/b.png", unix, token + "x", now));
        Assert.Equal(ArtifactUrlSigner.Verdict.Invalid, signer.Verify("/a/b.png", null, token, now));
        Assert.Equal(ArtifactUrlSigner.Verdict.Invalid, new ArtifactUrlSigner([1]).Verify("/a/b.png", unix, token, now));
    }
}
