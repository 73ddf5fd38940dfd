using DevPlatform.Api;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Access;

/// <summary>A user's SSH public keys (for SFTP to the home): add by name, list with fingerprints, remove.</summary>
internal static class SshKeysApi
{
    public sealed record SshKeySpec(string? Name, string? PublicKey);

    public sealed record SshKeyView(string Name, string Type, int Bits, string Fingerprint, string? Comment, string Display, DateTimeOffset CreatedAt)
    {
        public static SshKeyView From(SshKey k)
        {
            var key = new SshPublicKey(k.Type, k.Blob, k.Comment, k.Bits, k.Fingerprint);
            return new SshKeyView(k.Name, k.Type, k.Bits, k.Fingerprint, k.Comment, key.Display, k.CreatedAt);
        }
    }

    public static RouteGroupBuilder MapSshKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/users/{user}/ssh-keys").WithTags("SSH keys").RequireAuthorization(Identity.OwnerOrAdminRequirement.Policy);
        keys.MapGet("/", async (string user, PlatformDbContext db, CancellationToken ct) =>
                (await db.SshKeys.AsNoTracking().Where(k => k.User.Name == user).OrderBy(k => k.Name).ToListAsync(ct)).Select(SshKeyView.From).ToList())
            .WithName("ListSshKeys").WithSummary("The user's SSH public keys with their SHA256 fingerprints, as ssh-keygen -l shows them.");
        keys.MapPost("/", AddAsync).WithName("AddSshKey").WithSummary("Adds a public key (ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of 3072 bits or more) under a name.");
        keys.MapDelete("/{name}", async (string user, string name, SshKeys service, HttpContext http, CancellationToken ct) =>
        {
            await service.RemoveAsync(user, name, Actor.Of(http.User), ct);
            return Results.NoContent();
        }).WithName("DeleteSshKey");
        return api;
    }

    private static async Task<IResult> AddAsync(string user, SshKeySpec spec, SshKeys service, HttpContext http, CancellationToken ct)
    {
        var entity = await service.AddAsync(user, spec, Actor.Of(http.User), ct);
        return Results.Created($"/api/users/{user}/ssh-keys/{entity.Name}", SshKeyView.From(entity));
    }
}
