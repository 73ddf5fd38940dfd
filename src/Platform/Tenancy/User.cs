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

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];
}
