using System.Linq.Expressions;

namespace DevPlatform.Tenancy;

internal sealed record MemberResource(string User, string Group, MembershipRole Role, DateTimeOffset Since)
{
    /// <summary>The membership's row with its user's and group's names, selected in SQL (no entity built).</summary>
    public static readonly Expression<Func<Membership, MemberResource>> Projection = m => new MemberResource(m.User.Name, m.Group.Name, m.Role, m.CreatedAt);

    private static readonly Func<Membership, MemberResource> FromEntity = Projection.Compile();

    public static MemberResource From(Membership m) => FromEntity(m);
}
