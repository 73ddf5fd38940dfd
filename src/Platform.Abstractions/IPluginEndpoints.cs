using Microsoft.AspNetCore.Routing;

namespace DevPlatform.Abstractions;

/// <summary>Optional: a plugin that serves HTTP implements this beside <see cref="IPlatformPlugin"/>.</summary>
public interface IPluginEndpoints
{
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
