using Microsoft.Extensions.Options;
using Seismo.Domain.Collect;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Ingest;

public static class IngestServices
{
    /// <summary>The stateless ingest front: parsing, archive handling, group commit and the fan-out to test grains.</summary>
    public static WebApplicationBuilder AddSeismoIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new CollectParser(CollectArchiveLimits.Default with
        {
            MaxDecompressedBytes = sp.GetRequiredService<IOptions<SeismoOptions>>().Value.MaxDecompressedBytes,
        }));
        builder.Services.AddSingleton<RunAcceptor>();
        builder.Services.AddSingleton<RunFanOut>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunFanOut>());
        builder.Services.AddSingleton<CollectIngestor>();
        return builder;
    }
}
