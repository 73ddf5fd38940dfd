namespace DevPlatform.Tenancy;

internal sealed class Membership
{
    public long GroupId { get; set; }

    public Group Group { get; set; } = null!;

    public long UserId { get; set; }

    public User User { get; set; } = null!;

    public MembershipRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
