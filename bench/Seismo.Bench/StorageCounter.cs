using Seismo.Tests.Support;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Seismo.Bench;

/// <summary>Counts storage writes from the store itself after a graceful stop (so write-behind state is flushed).</summary>
internal static class StorageCounter
{
    public sealed record Writes(long RunRows, long GrainWrites, long Runs)
    {
        public long Total => RunRows + GrainWrites;
    }

    public static async Task<Writes> CountAsync(SeismoProcess seismo)
    {
        await seismo.StopGracefullyAsync();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(seismo.DataDir, "seismo.db")}");
        await connection.OpenAsync();
        var runRows = await ScalarAsync(connection, "SELECT COUNT(*) FROM SeismoRuns");
        // Each grain state write bumps its row's version by one, starting at 1 on the first write.
        var grainWrites = await ScalarAsync(connection, "SELECT COALESCE(SUM(Version), 0) FROM OrleansStorage");
        return new Writes(runRows, grainWrites, runRows);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
