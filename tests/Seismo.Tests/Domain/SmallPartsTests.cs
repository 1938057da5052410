using Seismo.Api.Endpoints;
using Seismo.Domain.Security;

namespace Seismo.Tests.Domain;

public class SmallPartsTests
{
    [Fact]
    public void Keys_are_random_hashed_and_masked()
    {
        var a = ApiKeyText.Generate();
        var b = ApiKeyText.Generate();
        Assert.NotEqual(a, b);
        Assert.StartsWith(ApiKeyText.Prefix, a);
        Assert.Equal(64, ApiKeyText.HashHex(a).Length);
        Assert.Equal(ApiKeyText.HashHex(a), ApiKeyText.HashHex(a));
        var masked = ApiKeyText.Mask(a);
        Assert.EndsWith(a[^4..], masked);
        Assert.DoesNotContain(a[4..^4], masked);
    }

    [Theory]
    [InlineData("Web App E2E", "web-app-e2e")]
    [InlineData("  Über   Tests!! ", "uber-tests")]
    [InlineData("???", "project")]
    public void Slugs_are_readable(string name, string slug) => Assert.Equal(slug, ProjectsApi.UniqueSlug(name, new HashSet<string>()));

    [Fact]
    public void Slugs_are_unique_within_an_account() =>
        Assert.Equal("web-3", ProjectsApi.UniqueSlug("Web", new HashSet<string> { "web", "web-2" }));
}
