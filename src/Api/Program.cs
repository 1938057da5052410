using Seismo.Api.Dashboard;
using Seismo.Api.Endpoints;
using Seismo.Api.Infrastructure;
using Seismo.Api.Ingest;
using Seismo.Api.Live;
using Seismo.Api.Settings;
using Seismo.Api.Uploads;
using Seismo.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddSeismoDefaults();
builder.AddSeismoOrleans();
builder.AddSeismoIngest();
builder.AddSeismoLive();
builder.AddSeismoSettings();
builder.AddSeismoPipelines();
builder.AddSeismoEuriqa();
builder.AddSeismoUploads();
builder.AddSeismoHealth();
builder.AddSeismoObservability();

var app = builder.Build();

app.UseSeismoDefaults();
app.MapHealthApi();
app.MapCollectApi();
app.MapObservationsApi();
app.MapAccountsApi();
app.MapProjectsApi();
app.MapProjectSettingsApi();
app.MapApiKeysApi();
app.MapRunsApi();
app.MapTestsApi();
app.MapEuriqaApi();
app.MapFlakinessApi();
app.MapNotificationsApi();
app.MapWebhooksApi();
app.MapOverviewApi();
app.MapSettingsApi();
app.MapTrendsApi();
app.MapMeApi();
app.MapEnvironmentsApi();
app.MapUploadsApi();
app.MapReportsApi();
app.MapLive();
app.MapRunWatchApi();
app.MapCircleCiApi();
app.MapInsightsApi();
app.MapClusterApi();
app.MapObservabilityApi();
app.MapDashboard();

app.Run();

/// <summary>The API host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
