namespace DevPlatform.Abstractions;

/// <summary>A way to sign in (GitHub, OIDC, DANDI, dev login). Enabled by <c>Auth:Providers</c>.</summary>
public interface IAuthProvider : INamedStrategy
{
    string DisplayName { get; }

    /// <summary>What is wrong with this provider's configuration; checked at start-up only when it is enabled.</summary>
    IEnumerable<ConfigurationError> CheckConfiguration() => [];
}
