using Npgsql;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>One statement against a test database, for assertions that count in the database rather than through the API.</summary>
public static class Sql
{
    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<long> ScalarAsync(string database, string sql) => ScalarAsync<long>(database, sql);

    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
