namespace DevPlatform.Persistence;

/// <summary>An ASP.NET data-protection key (session cookies, antiforgery, encrypted identity secrets), shared by every replica.</summary>
internal sealed class DataProtectionKey
{
    public long Id { get; set; }

    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }
}
