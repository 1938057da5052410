using System.Net;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class CollectLimitsTests
{
    [Fact]
    public async Task An_archive_over_the_configured_size_is_413()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:MaxArchiveBytes"] = "50000" });
        var project = await seismo.DefaultProjectAsync();
        var big = new byte[120_000];
        new Random(1).NextBytes(big);

        var response = await seismo.Admin().PostArchiveAsync(big, project);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", (await response.JsonAsync()).ErrorCode());
        var small = await seismo.Admin().PostArchiveAsync(await SyntheticReports.ArchiveAsync([new("a.B", "c")]), project);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }
}
