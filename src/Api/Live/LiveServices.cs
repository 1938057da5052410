namespace Seismo.Api.Live;

public static class LiveServices
{
    /// <summary>This node's live side: one Orleans observer, the broker, SSE and the SignalR hub.</summary>
    public static WebApplicationBuilder AddSeismoLive(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LiveOptions>(builder.Configuration.GetSection(LiveOptions.Section));
        builder.Services.AddSingleton<LiveBroker>();
        builder.Services.AddHostedService<LiveNode>();
        builder.Services.AddHostedService<LiveHubRelay>();
        builder.Services.AddSignalR();
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        app.MapLiveApi();
        app.MapHub<LiveHub>(LiveHub.Path);
        return app;
    }
}
