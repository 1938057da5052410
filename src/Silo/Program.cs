using Microsoft.Extensions.Hosting;
using Seismo.Grains.Hosting;
using Seismo.Silo;

var builder = Host.CreateApplicationBuilder(args);

// "migrate": apply the cluster schema to ConnectionStrings:Seismo and exit (deployments, init containers).
if (args is ["migrate", ..])
{
    await SeismoClusterHosting.MigrateAsync(SeismoClusterHosting.ConnectionString(builder.Configuration), CancellationToken.None);
    Console.WriteLine("Seismo schema is up to date");
    return;
}

// A silo hosting the same grains as the API's embedded one; Seismo:Mode=Cluster puts it on PostgreSQL.
builder.AddSeismoSilo();
builder.AddSeismoSiloMetrics();
await builder.Build().RunAsync();
