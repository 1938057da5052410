using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Infrastructure;

/// <summary>Health checks behind <c>/health</c>: silo membership as this node sees it, and the database.</summary>
public static class SeismoHealth
{
    public static WebApplicationBuilder AddSeismoHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<MembershipHealthCheck>("membership", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>Healthy with at least one active silo; the silos and their states are in the data.</summary>
    public sealed class MembershipHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false).WaitAsync(ct);
                var active = hosts.Count(h => h.Value == SiloStatus.Active);
                var data = hosts.ToDictionary(h => h.Key.ToParsableString(), h => (object)h.Value.ToString());
                return active > 0
                    ? HealthCheckResult.Healthy($"{active} active silo(s)", data)
                    : HealthCheckResult.Unhealthy("no active silo", data: data);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("the cluster cannot be reached: " + e.Message);
            }
        }
    }

    /// <summary>One round trip to the store: PostgreSQL in cluster mode, the SQLite file embedded.</summary>
    public sealed class DatabaseHealthCheck(IOptions<SeismoOptions> options, IConfiguration configuration) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                try
                {
                    await PingAsync(ct);
                }
                catch (NpgsqlException)
                {
                    // After a database restart the pool still holds connections the server closed: drop them and ask again.
                    NpgsqlConnection.ClearAllPools();
                    await PingAsync(ct);
                }
                return HealthCheckResult.Healthy(options.Value.Mode == HostingMode.Cluster ? "PostgreSQL reachable" : "SQLite reachable");
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("the database cannot be reached: " + e.Message);
            }
        }

        private async Task PingAsync(CancellationToken ct)
        {
            await using System.Data.Common.DbConnection connection = options.Value.Mode == HostingMode.Cluster
                ? new NpgsqlConnection(SeismoClusterHosting.ConnectionString(configuration))
                : new SqliteConnection(SeismoSiloHosting.SqliteConnectionString(options.Value.DataDir, 5));
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
        }
    }
}
