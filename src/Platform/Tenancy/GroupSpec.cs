using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

/// <summary>A group as an admin writes it; its policy and members have their own endpoints.</summary>
internal sealed record GroupSpec(string Name, string? DisplayName = null, string? Description = null) : INamedSpec;
