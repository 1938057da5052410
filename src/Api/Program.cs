using Seismo.Api.Endpoints;
using Seismo.Api.Infrastructure;
using Seismo.Api.Ingest;
using Seismo.Api.Live;
using Seismo.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddSeismoDefaults();
builder.AddSeismoOrleans();
builder.AddSeismoIngest();
builder.AddSeismoLive();
builder.AddSeismoHealth();

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
app.MapFlakinessApi();
app.MapNotificationsApi();
app.MapWebhooksApi();
app.MapLive();
app.MapClusterApi();

app.Run();

/// <summary>The API host; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
