namespace DevPlatform.Kubernetes.Model;

/// <summary>The part of metadata we read (typed access to the kinds we use; anything else is a JsonObject).</summary>
public sealed record ObjectMeta(
    string? Name = null,
    string? Namespace = null,
    string? Uid = null,
    string? ResourceVersion = null,
    IReadOnlyDictionary<string, string>? Labels = null);
