using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed class User : INamedEntity
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    public bool Admin { get; set; }

    public bool Disabled { get; set; }

    /// <summary>Sessions signed in before this time are over ("sign out everywhere").</summary>
    public DateTimeOffset? SessionsRevokedAt { get; set; }

    /// <summary>The last sign-in, by any provider (dormancy counts from here, else from <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>When the user was told their home will be archived for lack of sign-ins (null: not, or signed in since).</summary>
    public DateTimeOffset? DormancyWarnedAt { get; set; }

    /// <summary>When the home was archived; it comes back at the user's next launch.</summary>
    public DateTimeOffset? HomeArchivedAt { get; set; }

    /// <summary>The last activity the JupyterHub REST API was told of (<c>POST /hub/api/users/{name}/activity</c>); environments keep their own.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];
}
