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
}
