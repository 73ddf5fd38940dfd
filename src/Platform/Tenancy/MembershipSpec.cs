namespace DevPlatform.Tenancy;

internal sealed record MembershipSpec(MembershipRole Role = MembershipRole.Member);
