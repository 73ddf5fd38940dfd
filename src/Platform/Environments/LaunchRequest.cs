namespace DevPlatform.Environments;

/// <summary>
/// What a user asks for. <see cref="Image"/> is the name of one of the profile's images, or (where the
/// profile allows it) a full image reference of their own; omitted, the profile's default image.
/// <see cref="Size"/> omitted: the profile's first size. <see cref="Group"/> omitted: the first of the
/// user's groups (by name) whose policy allows the profile; its quotas and budget apply.
/// </summary>
internal sealed record LaunchRequest(
    string Name,
    string Profile,
    string? Image = null,
    IReadOnlyList<string>? Bundles = null,
    string? Size = null,
    string? Group = null);
