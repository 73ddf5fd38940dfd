using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

/// <summary>A user as an admin writes it.</summary>
internal sealed record UserSpec(string Name, string? DisplayName = null, string? Email = null, bool Admin = false, bool Disabled = false) : INamedSpec;
