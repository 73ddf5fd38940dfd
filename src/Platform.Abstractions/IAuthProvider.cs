namespace DevPlatform.Abstractions;

/// <summary>A way to sign in (GitHub, OIDC, DANDI, dev login). Enabled by <c>Auth:Providers</c>.</summary>
public interface IAuthProvider : INamedStrategy
{
    string DisplayName { get; }
}
