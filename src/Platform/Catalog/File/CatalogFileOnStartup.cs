using DevPlatform.Hosting;
using Microsoft.Extensions.Options;

namespace DevPlatform.Catalog.File;

/// <summary>Applies <c>Catalog:File</c> at start-up; any problem stops start-up with the file's problems listed.</summary>
internal sealed class CatalogFileOnStartup(IServiceScopeFactory scopes, IOptions<CatalogFileOptions> options, ILogger<CatalogFileOnStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.File))
        {
            return;
        }

        var path = Path.GetFullPath(options.Value.File);
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var changes = await scope.ServiceProvider.GetRequiredService<CatalogFileApplier>().ApplyAsync(path, $"catalog-file:{Path.GetFileName(path)}", cancellationToken);
            logger.LogInformation("Catalog file {CatalogFile} applied: {Summary}", path, CatalogChangeSummary.Describe(changes));
        }
        catch (CatalogFileException e)
        {
            throw new StartupException(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
