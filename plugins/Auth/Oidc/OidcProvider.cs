using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DevPlatform.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DevPlatform.Plugins.Auth.Oidc;

/// <summary>
/// OpenID Connect authorization code flow with PKCE: the discovery document names the endpoints and signing keys;
/// the ID token is checked for signature (JWKS), issuer, audience, expiry and nonce before anything in it is believed.
/// </summary>
internal sealed class OidcProvider : IRedirectAuthProvider
{
    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
    private readonly OidcOptions options;
    private readonly IHttpClientFactory http;
    private readonly ILogger<OidcProvider> logger;
    private readonly Lazy<ConfigurationManager<OpenIdConnectConfiguration>> discovery;

    public OidcProvider(IOptions<OidcOptions> options, IHttpClientFactory http, ILogger<OidcProvider> logger)
    {
        this.options = options.Value;
        this.http = http;
        this.logger = logger;
        discovery = new(() => new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{this.options.Authority!.TrimEnd('/')}/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http.CreateClient(nameof(OidcProvider))) { RequireHttps = this.options.RequireHttpsMetadata }));
    }

    public string Name => "oidc";

    public string DisplayName => options.DisplayName;

    public IEnumerable<ConfigurationError> CheckConfiguration()
    {
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            yield return new("Auth:Oidc:Authority", "must be the issuer URL, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123.");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata)
        {
            yield return new("Auth:Oidc:Authority", "must be https (RequireHttpsMetadata is on).");
        }

        if (string.IsNullOrEmpty(options.ClientId) || string.IsNullOrEmpty(options.ClientSecret))
        {
            yield return new("Auth:Oidc:ClientId", "and Auth:Oidc:ClientSecret are required: the app client's id and secret.");
        }

        if (!options.Scopes.Contains("openid"))
        {
            yield return new("Auth:Oidc:Scopes", "must include 'openid'.");
        }
    }

    public async Task<Uri> AuthorizeUrlAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        return new Uri(QueryString.Append(configuration.AuthorizationEndpoint, new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = options.ClientId!,
            ["redirect_uri"] = request.CallbackUrl.AbsoluteUri,
            ["scope"] = string.Join(' ', options.Scopes),
            ["state"] = request.State,
            ["nonce"] = request.Nonce,
            ["code_challenge"] = request.CodeChallenge,
            ["code_challenge_method"] = "S256",
        }));
    }

    public async Task<ExternalIdentity> CompleteAsync(AuthCallback callback, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        var idToken = await RedeemAsync(configuration.TokenEndpoint, callback, cancellationToken);
        var token = await ValidateAsync(idToken, callback.Nonce, configuration, cancellationToken);

        var groups = GroupsOf(token);
        if (options.AllowedGroups.Count > 0 && !groups.Overlaps(options.AllowedGroups))
        {
            throw new AuthRefusedException($"You are not in a group allowed to use this hub ({string.Join(", ", options.AllowedGroups)}).");
        }

        var raw = Claim(token, options.UsernameClaim) ?? Claim(token, "preferred_username") ?? Claim(token, "email");
        var username = Usernames.Normalize(raw)
            ?? throw new AuthRefusedException($"The ID token carries no usable username (claims {options.UsernameClaim}, preferred_username, email).");
        var rules = new GroupRules(options.GroupRules);
        return new ExternalIdentity(
            token.Subject, username, Claim(token, "email"), rules.Map(groups), rules.Targets,
            options.AdminGroups.Count == 0 ? null : groups.Overlaps(options.AdminGroups),
            new Dictionary<string, string>());
    }

    private async Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await discovery.Value.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new HttpRequestException($"the discovery document of {options.Authority} could not be read: {e.Message}", e);
        }
    }

    private async Task<string> RedeemAsync(string tokenEndpoint, AuthCallback callback, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = callback.Code,
                ["redirect_uri"] = callback.CallbackUrl.AbsoluteUri,
                ["code_verifier"] = callback.CodeVerifier,
            }),
        };

        // client_secret_basic (RFC 6749 §2.3.1): id and secret form-encoded, then base64.
        var basic = $"{Uri.EscapeDataString(options.ClientId!)}:{Uri.EscapeDataString(options.ClientSecret!)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.CreateClient(nameof(OidcProvider)).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = TryParse(body);
        if (!response.IsSuccessStatusCode)
        {
            var error = json?.RootElement.TryGetProperty("error", out var e) == true ? e.GetString() : $"HTTP {(int)response.StatusCode}";
            throw new AuthRefusedException($"The identity provider refused the sign-in code ({error}); start again.");
        }

        return json?.RootElement.TryGetProperty("id_token", out var idToken) == true && idToken.GetString() is { Length: > 0 } value
            ? value
            : throw new AuthRefusedException("The identity provider returned no ID token (is 'openid' among the scopes?).");
    }

    private async Task<JsonWebToken> ValidateAsync(string idToken, string nonce, OpenIdConnectConfiguration configuration, CancellationToken cancellationToken)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds),
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            discovery.Value.RequestRefresh(); // the provider may have rotated its keys: one fresh look at the JWKS
            parameters.IssuerSigningKeys = (await ConfigurationAsync(cancellationToken)).SigningKeys;
            result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters);
        }

        if (!result.IsValid)
        {
            logger.LogWarning("ID token refused: {Reason}", result.Exception?.GetType().Name);
            throw new AuthRefusedException($"The identity provider's ID token was not valid ({Describe(result.Exception)}); start again.");
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (Claim(token, "nonce") != nonce)
        {
            throw new AuthRefusedException("The ID token was issued for a different sign-in (nonce mismatch); start again.");
        }

        if (Claim(token, "token_use") is { } use && use != "id")
        {
            throw new AuthRefusedException("The token is not an ID token.");
        }

        return token;
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenInvalidAudienceException => "it was issued to a different client",
        SecurityTokenInvalidIssuerException => "it was issued by a different issuer",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "its signature does not verify",
        SecurityTokenNotYetValidException => "it is not valid yet",
        _ => "it could not be read",
    };

    /// <summary>The groups claim: a JSON array (Cognito) or a single string; arrays arrive as one claim per value.</summary>
    private HashSet<string> GroupsOf(JsonWebToken token) =>
        token.Claims.Where(c => c.Type == options.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && value.Length > 0 ? value : null;

    private static JsonDocument? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
