using Microsoft.Extensions.Options;

namespace DevPlatform.Catalog.File;

/// <summary>
/// Applies <c>Catalog:File</c> at start-up. A file that cannot be applied changes nothing, is one error line in the log,
/// and keeps the host not ready (<see cref="CatalogFileHealthCheck"/>) — the process stays up to say why.
/// </summary>
internal sealed class CatalogFileOnStartup(
    IServiceScopeFactory scopes, IOptions<CatalogFileOptions> options, CatalogFileHealthCheck health, ILogger<CatalogFileOnStartup> logger) : IHostedService
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
            var changes = await scope.ServiceProvider.GetRequiredService<CatalogFileApplier>().ApplyAsync(path, $"catalog-file:{Path.GetFileName(path)}", CatalogApplyMode.ChangedEntries, cancellationToken);
            logger.LogInformation("Catalog file {CatalogFile} applied: {Summary}", path, CatalogChangeSummary.Describe(changes));
        }
        catch (CatalogFileException e)
        {
            logger.LogError("Not ready: {Problem}", e.Message);
            health.Failed(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
