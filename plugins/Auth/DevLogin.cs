using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Auth;

/// <summary>A username form for development on a loopback binding; never for production.</summary>
internal sealed class DevLogin : IAuthProvider
{
    public string Name => "dev";

    public string DisplayName => "Dev login";
}
