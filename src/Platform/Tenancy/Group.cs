using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed class Group : INamedEntity
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    public GroupPolicy Policy { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];
}
