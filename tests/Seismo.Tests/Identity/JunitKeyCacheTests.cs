using Seismo.Api.Ingest;
using Seismo.Domain.Identity;

namespace Seismo.Tests.Identity;

public class JunitKeyCacheTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "com.acme.CartTest", "addsItem()" },
        { "auth/login.spec.ts", "[chromium] Auth › Login Page › should display login form" },
        { "Calculator add", "Calculator add adds two numbers" },
        { "", "  spaced   out  name " },
        { "tests.test_cart", "test_total[ünïcödé-😀]" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_cached_identity_is_the_one_derived_from_the_pair(string className, string name)
    {
        var cache = new JunitKeyCache(16);
        var key = TestKeys.FromJunit(className, name);
        foreach (var entry in new[] { cache.Get(className, name), cache.Get(className, name) })
        {
            Assert.Equal(key.Value, entry.Key);
            Assert.Equal(key.HashHex(), entry.KeyHash);
            Assert.Equal(TitleText.LastSegment(name), entry.Title);
            Assert.Equal((className, name), (entry.ClassName, entry.Name));
        }
    }

    [Fact]
    public void A_full_cache_starts_over_and_still_answers_right()
    {
        var cache = new JunitKeyCache(4);
        for (var i = 0; i < 50; i++)
        {
            var entry = cache.Get("com.acme.T", $"test{i % 7}");
            Assert.Equal(TestKeys.FromJunit("com.acme.T", $"test{i % 7}").Value, entry.Key);
        }
    }
}
