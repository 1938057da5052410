using Microsoft.Extensions.Hosting;
using Seismo.Grains.Hosting;

// A standalone silo hosting the same grains as the API's embedded one.
var builder = Host.CreateApplicationBuilder(args);
builder.AddSeismoSilo();
await builder.Build().RunAsync();
