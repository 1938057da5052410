using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Seismo.Grains.Hosting;

namespace Seismo.Tests.Storage;

/// <summary>One database the Orleans ADO.NET providers run against, plus plain SQL access for assertions.</summary>
public sealed record StorageBackend(string Invariant, string ConnectionString, string ServiceId)
{
    public static StorageBackend Sqlite(string connectionString) =>
        new(SchemaInstaller.SqliteInvariant, connectionString, "seismo-tests");

    public static StorageBackend Postgres(string connectionString) =>
        new(SchemaInstaller.PostgresInvariant, connectionString, "seismo-tests");

    public Task ApplySchemaAsync(IEnumerable<string>? extraSql = null) =>
        Invariant == SchemaInstaller.SqliteInvariant
            ? SchemaInstaller.ApplySqliteAsync(ConnectionString, extraSql ?? [], CancellationToken.None)
            : SchemaInstaller.ApplyPostgresAsync(ConnectionString, extraSql ?? [], CancellationToken.None);

    public async Task<List<object?[]>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64((await QueryAsync(sql, parameters)).Single()[0]);

    private DbConnection Open() => Invariant == SchemaInstaller.SqliteInvariant
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);
}
