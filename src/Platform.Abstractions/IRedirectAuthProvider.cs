namespace DevPlatform.Abstractions;

/// <summary>
/// A provider that signs people in by sending the browser to an identity provider and back (OAuth 2.0 /
/// OpenID Connect authorization code flow). The platform owns state, PKCE, nonce, the browser binding and
/// single use of every login attempt; the provider builds the authorization URL, redeems the code and
/// decides who the person is and whether they are admitted.
/// </summary>
public interface IRedirectAuthProvider : IAuthProvider
{
    Task<Uri> AuthorizeUrlAsync(AuthorizeRequest request, CancellationToken cancellationToken);

    /// <summary>Redeems the code. Throws <see cref="AuthRefusedException"/> when the person may not sign in.</summary>
    Task<ExternalIdentity> CompleteAsync(AuthCallback callback, CancellationToken cancellationToken);
}

/// <param name="CallbackUrl">The redirect URI registered with the identity provider.</param>
/// <param name="State">Opaque, single use; must come back unchanged.</param>
/// <param name="CodeChallenge">PKCE S256 challenge of the verifier the platform keeps.</param>
/// <param name="Nonce">For OpenID Connect: must come back inside the ID token.</param>
public sealed record AuthorizeRequest(Uri CallbackUrl, string State, string CodeChallenge, string Nonce);

public sealed record AuthCallback(Uri CallbackUrl, string Code, string CodeVerifier, string Nonce);

/// <summary>Who signed in, as the identity provider vouches.</summary>
/// <param name="Subject">The provider's stable id of the person (GitHub user id, OIDC <c>sub</c>).</param>
/// <param name="Username">The platform username wanted; must be a DNS-1123 label (see <see cref="Usernames"/>).</param>
/// <param name="Groups">Platform groups the person belongs to according to the provider.</param>
/// <param name="ManagedGroups">Platform groups whose membership the provider decides (left when not in <paramref name="Groups"/>).</param>
/// <param name="Admin">Whether the person is an admin; null when the provider has no say.</param>
/// <param name="Environment">Variables a profile may opt in to passing into environments (e.g. GITHUB_TOKEN); kept encrypted.</param>
public sealed record ExternalIdentity(
    string Subject,
    string Username,
    string? Email,
    IReadOnlySet<string> Groups,
    IReadOnlySet<string> ManagedGroups,
    bool? Admin,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>The identity provider answered, and the answer is no (not in an allowed organisation, token invalid, …).</summary>
/// <param name="reason">Shown to the person and audited: never a secret.</param>
public sealed class AuthRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
