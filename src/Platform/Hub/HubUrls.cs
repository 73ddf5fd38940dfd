using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DevPlatform.Hub;

/// <summary>Where environments reach the hub: <c>Hub:ApiUrl</c>, else this host's first http listen address.</summary>
internal sealed class HubUrls(IOptions<HubOptions> options, IServer server)
{
    public string ApiUrl()
    {
        if (options.Value.ApiUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The hub's own address is unknown (no http listen address); set Hub:ApiUrl.");
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
        return $"{uri.Scheme}://{uri.Authority}/hub/api";
    }
}
