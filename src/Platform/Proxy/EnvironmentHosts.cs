using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DevPlatform.Proxy;

/// <summary>
/// Subdomain mode's addresses (<see cref="ProxyOptions.EnvironmentUrl"/>): which user's host a request came to, each user's
/// origin, and the hub's own origin (<c>Auth:PublicUrl</c>). Without a port in the template, origins use this host's
/// listen port (the local backend, tests).
/// </summary>
internal sealed class EnvironmentHosts(IOptions<ProxyOptions> options, IOptions<Identity.DevLoginOptions> auth, IServer server)
{
    private const string Placeholder = "{user}.";

    public bool Enabled => options.Value.EnvironmentUrl is { Length: > 0 };

    /// <summary>The template with a one-letter user, parsed once (the options do not change while the host runs).</summary>
    private Uri Template => template ??= new(options.Value.EnvironmentUrl!.Replace(Placeholder, "u.", StringComparison.Ordinal));

    private Uri? template;

    /// <summary>The domain the user labels sit under, e.g. <c>envs.example.org</c>.</summary>
    private string Domain => Template.Host[2..];

    /// <summary>Why the configuration cannot work, or null.</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }

        var url = options.Value.EnvironmentUrl!;
        if (!url.Contains("://" + Placeholder, StringComparison.Ordinal) || !Uri.TryCreate(url.Replace(Placeholder, "u.", StringComparison.Ordinal), UriKind.Absolute, out var parsed)
            || parsed.AbsolutePath != "/")
        {
            return $"Proxy:EnvironmentUrl '{url}' must be a URL whose host starts with '{{user}}.', e.g. https://{{user}}.envs.example.org";
        }

        if (auth.Value.PublicUrl is not { Length: > 0 } hub || !Uri.TryCreate(hub, UriKind.Absolute, out var hubUrl))
        {
            return "Proxy:EnvironmentUrl needs Auth:PublicUrl (the hub's own address, for the sign-in hand-off).";
        }

        return UserOf(new HostString(hubUrl.Host)) is null ? null
            : $"Auth:PublicUrl's host {hubUrl.Host} lies under the environments' domain {Domain}: it would be taken for a user's host; serve the hub from another name.";
    }

    /// <summary>The user whose environment host this is (<c>alice</c> for <c>alice.envs.example.org</c>), or null for any other host.</summary>
    public string? UserOf(HostString host)
    {
        if (!Enabled || !host.Host.EndsWith("." + Domain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var label = host.Host[..^(Domain.Length + 1)];
        return label.Length > 0 && !label.Contains('.', StringComparison.Ordinal) ? label.ToLowerInvariant() : null;
    }

    /// <summary><c>https://alice.envs.example.org</c>: the origin of the user's environments.</summary>
    public string Origin(string user)
    {
        var template = Template;
        var port = template.IsDefaultPort && !options.Value.EnvironmentUrl!.Contains($":{template.Port}", StringComparison.Ordinal) ? ListenPort(template.Scheme) : template.Port;
        return $"{template.Scheme}://{user}.{Domain}{(port is { } p && p != (template.Scheme == "https" ? 443 : 80) ? $":{p}" : "")}";
    }

    /// <summary>The hub's public origin, e.g. <c>https://hub.example.org</c>.</summary>
    public string HubOrigin => new Uri(auth.Value.PublicUrl!).GetLeftPart(UriPartial.Authority);

    private int? ListenPort(string scheme) => server.Features.Get<IServerAddressesFeature>()?.Addresses
        .Select(a => Uri.TryCreate(a.Replace("://+", "://h", StringComparison.Ordinal).Replace("://*", "://h", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
        .FirstOrDefault(u => u is not null && u.Scheme == scheme)?.Port;
}
