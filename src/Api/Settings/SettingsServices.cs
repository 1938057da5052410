using Microsoft.Extensions.Http.Resilience;

namespace Seismo.Api.Settings;

public static class SettingsServices
{
    /// <summary>Disk measurement and watch, the Allure CLI and its npm registry client, the server-owner check.</summary>
    public static WebApplicationBuilder AddSeismoSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServerOwner>();
        builder.Services.AddSingleton<DiskUsage>();
        builder.Services.AddHostedService<DiskWatch>();
        builder.Services.AddSingleton<AllureTool>();
        builder.Services.AddHttpClient(AllureTool.HttpClientName).AddStandardResilienceHandler(o =>
        {
            // A settings page waits on this: a few quick tries, then "unreachable".
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
        });
        return builder;
    }
}
