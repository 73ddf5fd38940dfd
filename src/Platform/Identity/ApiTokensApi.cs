using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Identity;

internal static class ApiTokensApi
{
    public static RouteGroupBuilder MapApiTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/users/{user}/tokens").WithTags("API tokens").RequireAuthorization(OwnerOrAdminRequirement.Policy)
            .WithMetadata(new MintsCredentials());
        tokens.MapGet("/", async (string user, PlatformDbContext db, int? offset, int? limit, CancellationToken ct) =>
        {
            var page = await new PageRequest(offset, limit).ApplyAsync(ApiTokenService.Listed(db, user).AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id), ApiTokenView.From, ct);
            // One statement when there are tokens; only an empty page asks whether the user exists at all.
            return page.Total > 0 || await db.Users.AnyAsync(u => u.Name == user, ct) ? page : throw new ResourceNotFoundException("user", user);
        }).WithName("ListApiTokens").WithSummary("The user's tokens (personal, and those derived from a token through /hub/api), without their secrets; a page like every list (offset, limit).");
        tokens.MapPost("/", async (string user, ApiTokenSpec spec, PlatformDbContext db, ApiTokenService service, HttpContext http, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(await OwnerAsync(db, user, ct), spec, Actor.Of(http.User), ct);
            return Results.Created($"/api/users/{user}/tokens/{spec.Name}", created);
        }).WithName("CreateApiToken").WithSummary("Creates a token; the answer is the only time its secret is shown.");
        tokens.MapDelete("/{name}", async (string user, string name, PlatformDbContext db, ApiTokenService service, HttpContext http, CancellationToken ct) =>
        {
            await service.RevokeAsync(await OwnerAsync(db, user, ct), name, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("RevokeApiToken");

        api.MapDelete("/users/{user}/sessions", async (string user, SessionRevocation revocation, HttpContext http, CancellationToken ct) =>
        {
            await revocation.RevokeAsync(user, Actor.Of(http.User), http, ct);
            return Results.NoContent();
        }).WithName("RevokeSessions").WithTags("Sessions").RequireAuthorization(OwnerOrAdminRequirement.Policy).WithMetadata(new MintsCredentials())
            .WithSummary("Signs the user out everywhere: every browser session and every hub OAuth token ends (within 15 s on other replicas).");
        return api;
    }

    private static async Task<Tenancy.User> OwnerAsync(PlatformDbContext db, string user, CancellationToken ct) =>
        await db.Users.FirstOrDefaultAsync(u => u.Name == user, ct) ?? throw new ResourceNotFoundException("user", user);
}
