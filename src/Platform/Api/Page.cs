namespace DevPlatform.Api;

/// <summary>One page of a list: the items, how many match in all, and the window asked for.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
