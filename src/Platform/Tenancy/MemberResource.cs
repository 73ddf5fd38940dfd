namespace DevPlatform.Tenancy;

internal sealed record MemberResource(string User, string Group, MembershipRole Role, DateTimeOffset Since)
{
    public static MemberResource From(Membership m) => new(m.User.Name, m.Group.Name, m.Role, m.CreatedAt);
}
