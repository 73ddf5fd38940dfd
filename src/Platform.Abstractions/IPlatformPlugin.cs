using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.Abstractions;

/// <summary>
/// The entry point of a plugin assembly: exactly one public, parameterless, non-abstract class per
/// plugin implements it. The host calls <see cref="ConfigureServices"/> once at start-up; what the
/// plugin registers (named strategies, jobs, subscribers) is added to the host's container only if
/// the call completes, so a plugin that throws half-way leaves nothing behind.
/// </summary>
public interface IPlatformPlugin
{
    PluginManifest Manifest { get; }

    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
