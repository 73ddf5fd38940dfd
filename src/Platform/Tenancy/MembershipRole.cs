namespace DevPlatform.Tenancy;

internal enum MembershipRole
{
    /// <summary>Launches environments under the group's policy.</summary>
    Member,

    /// <summary>Also manages the group's members, quotas and budget.</summary>
    Manager,
}
