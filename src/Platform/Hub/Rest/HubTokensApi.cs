using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Identity;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// <c>/hub/api/users/{name}/tokens</c> (UserTokenListAPIHandler, UserTokenAPIHandler) over our one token store:
/// personal, environment, OAuth and JupyterHub-style tokens listed with JupyterHub's ids (<c>a{n}</c>), and new
/// JupyterHub-style tokens whose scopes may not exceed their owner's.
/// </summary>
internal static class HubTokensApi
{
    private static readonly ApiTokenKind[] Listed = [ApiTokenKind.Personal, ApiTokenKind.Hub, ApiTokenKind.Server, ApiTokenKind.OAuth];

    public static RouteGroupBuilder MapHubTokens(this RouteGroupBuilder api)
    {
        api.MapGet("/users/{name}/tokens", ListAsync);
        api.MapPost("/users/{name}/tokens", CreateAsync);
        api.MapGet("/users/{name}/tokens/{id}", GetAsync);
        api.MapDelete("/users/{name}/tokens/{id}", DeleteAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (caller, owner) = await HubData.RequireUserAsync(http, callers, db, name, null, $"No such user: {name}", "read:tokens");
        var now = time.GetUtcNow();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == owner.Id && Listed.Contains(t.Kind) && (t.ExpiresAt == null || t.ExpiresAt > now)).ToListAsync(ct);
        var urls = await EnvironmentUrlsAsync(db, owner, tokens, ct);
        var models = tokens.OrderBy(t => t.LastUsedAt ?? t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => (JsonNode?)HubModels.Token(t, owner, t.EnvironmentId is { } e ? urls.GetValueOrDefault(e) : null)).ToArray();
        return HubJson.Write(new JsonObject { ["api_tokens"] = new JsonArray(models) });
    }

    private static async Task<IResult> GetAsync(string name, string id, HttpContext http, HubCallers callers, PlatformDbContext db, CancellationToken ct)
    {
        var (caller, owner) = await HubData.RequireUserAsync(http, callers, db, name, null, $"No such user: {name}", "read:tokens");
        var key = ParseId(id, owner);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == key && t.UserId == owner.Id && Listed.Contains(t.Kind), ct)
            ?? throw new HubApiException(404, "Token not found None");
        var urls = await EnvironmentUrlsAsync(db, owner, [token], ct);
        return HubJson.Write(HubModels.Token(token, owner, token.EnvironmentId is { } e ? urls.GetValueOrDefault(e) : null));
    }

    private static async Task<IResult> DeleteAsync(string name, string id, HttpContext http, HubCallers callers, PlatformDbContext db, ApiTokenService tokens, CancellationToken ct)
    {
        var (caller, owner) = await HubData.RequireUserAsync(http, callers, db, name, null, $"No such user: {name}", "tokens");
        return await tokens.RevokeByIdAsync(owner, ParseId(id, owner), caller.Name ?? "anonymous", ct)
            ? HubJson.Empty(204)
            : throw new HubApiException(404, "Token not found None");
    }

    private static async Task<IResult> CreateAsync(string name, HttpContext http, HubCallers callers, PlatformDbContext db, ApiTokenService tokens, TimeProvider time, CancellationToken ct)
    {
        var body = await HubJson.ReadAsync(http.Request, ct) ?? new JsonObject();
        var request = body as JsonObject ?? throw new HubApiException(400, "Body must be a JSON dict or empty");
        var caller = await callers.ResolveAsync(http, ct);
        if (caller.Name is null)
        {
            throw new HubApiException(403, "Forbidden");
        }

        if (caller.MintRefusal() is { } refusal)
        {
            throw new HubApiException(403, refusal);
        }

        var user = await HubData.UserAsync(db, name, ct);
        if (user is null || !caller.Scopes.Covers("tokens", HubData.Target(name, user)))
        {
            throw new HubApiException(403, $"{(caller.IsUser ? "User" : "Service")} {name} not found or no permissions to generate tokens");
        }

        var note = request["note"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && n.GetValue<string>().Length > 0 ? n.GetValue<string>() : null;
        note ??= caller.IsUser && caller.Name == name ? "Requested via api" : $"Requested via api by {caller.Kind} {caller.Name}";
        if (note.Length > 1000)
        {
            throw new HubApiException(400, "note must be at most 1000 characters");
        }

        var scopes = RequestedScopes(request, user);
        return HubJson.Write(await CreatedModelAsync(tokens, user, note, scopes, DerivedExpiry(ExpiresAt(request, time), caller.Token, time), caller.Name, caller.Token, ct), 201);
    }

    /// <summary>A token made with a token expires, at the latest with its parent and within <see cref="HubTokenService.AccessTokenLifetime"/>.</summary>
    private static DateTimeOffset? DerivedExpiry(DateTimeOffset? asked, ApiToken? parent, TimeProvider time)
    {
        if (parent is null)
        {
            return asked;
        }

        var latest = time.GetUtcNow() + HubTokenService.AccessTokenLifetime;
        var bound = parent.ExpiresAt is { } p && p < latest ? p : latest;
        return asked is { } a && a < bound ? a : bound;
    }

    private static async Task<JsonObject> CreatedModelAsync(ApiTokenService tokens, User user, string note, List<string> scopes, DateTimeOffset? expiresAt, string actor, ApiToken? parent, CancellationToken ct)
    {
        var (secret, token) = await tokens.CreateHubAsync(user, note, scopes, expiresAt, actor, ct, parent);
        var model = HubModels.Token(token, user, null);
        model["token"] = secret;
        return model;
    }

    /// <summary>The raw scopes asked for (scopes, or roles turned into scopes; default <c>inherit</c>), each known and all held by the owner.</summary>
    private static List<string> RequestedScopes(JsonObject request, User owner)
    {
        var hasScopes = request["scopes"] is not null;
        var hasRoles = request["roles"] is not null;
        if (hasScopes && hasRoles)
        {
            throw new HubApiException(400, "Can only assign one of scopes or roles when creating tokens.");
        }

        List<string> scopes;
        if (hasRoles)
        {
            scopes = HubJson.Strings(request, "roles", "roles")
                .SelectMany(role => HubScopes.Role(role) ?? throw new HubApiException(400, $"No such role: {role}")).ToList();
        }
        else
        {
            scopes = hasScopes ? HubJson.Strings(request, "scopes", "scopes") : [HubScopes.Inherit];
        }

        if (scopes.Select(HubScopes.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new HubApiException(400, problem.Replace("' does not exist", "' for token does not exist", StringComparison.Ordinal));
        }

        var asked = scopes.Where(s => s != HubScopes.Inherit).ToList();
        if (asked.Count > 0)
        {
            var wanted = HubScopeSet.Of(HubScopes.Expand(asked, owner.Name));
            var groups = owner.Memberships.Select(m => m.Group.Name).ToList();
            var held = wanted.Intersect(HubRoles.ScopesOf(owner), u => u == owner.Name ? groups : []).Expanded.ToHashSet(StringComparer.Ordinal);
            var excess = wanted.Expanded.Where(s => !held.Contains(s)).ToList();
            if (excess.Count > 0)
            {
                throw new HubApiException(400, $"Not assigning requested scopes {string.Join(",", excess)} not held by User {owner.Name}");
            }
        }

        return scopes;
    }

    private static DateTimeOffset? ExpiresAt(JsonObject request, TimeProvider time)
    {
        if (request["expires_in"] is not { } node || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<double>(out var seconds) || seconds <= 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
        {
            throw new HubApiException(400, $"expires_in must be a positive number of seconds (at most 10 years); got {node.ToJsonString()}");
        }

        return time.GetUtcNow().AddSeconds(seconds);
    }

    /// <summary>JupyterHub's token ids: <c>a</c> and the row's id; anything else is 404 naming it.</summary>
    private static long ParseId(string id, User owner) =>
        id.Length > 1 && id[0] == 'a' && long.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            ? key
            : throw new HubApiException(404, $"No such token {id} for user {owner.Name}");

    private static async Task<Dictionary<Guid, string>> EnvironmentUrlsAsync(PlatformDbContext db, User owner, IReadOnlyCollection<ApiToken> tokens, CancellationToken ct)
    {
        var ids = tokens.Where(t => t.EnvironmentId is not null).Select(t => t.EnvironmentId!.Value).Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Environments.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => HubServerNames.Url(owner.Name, e.Name), ct);
    }
}
