using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Grains.Reports;

public static class ReportsHosting
{
    /// <summary>Upload and Allure settings, the background report generator and the Allure CLI installer, in the silo.</summary>
    public static IHostApplicationBuilder AddSeismoUploadsAndReports(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<UploadOptions>(builder.Configuration.GetSection(UploadOptions.Section));
        builder.Services.Configure<AllureOptions>(builder.Configuration.GetSection(AllureOptions.Section));
        builder.Services.AddSingleton<ReportGenerator>();
        builder.Services.AddSingleton<AllureInstaller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportGenerator>());
        return builder;
    }
}
