namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>A test class with a host of its own (fresh database) and an admin client; override <see cref="SeedAsync"/> to add data.</summary>
public abstract class AdminApiTest : IAsyncLifetime
{
    protected PlatformFactory Factory { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        Factory = await PlatformFactory.CreateAsync(Settings);
        Admin = Factory.CreateAdminClient();
        await SeedAsync();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Runs SQL on the host's database directly (bulk seeding, or changes the API cannot make).</summary>
    protected async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A number read from the host's database directly (what a list should report, counted independently).</summary>
    protected async Task<long> ScalarSqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
