namespace DevPlatform.Services;

/// <summary>
/// A shared service as an admin writes it. <see cref="Command"/> and <see cref="Environment"/> values may use
/// <c>{port}</c> and <c>{ip}</c> (where to listen), <c>{data}</c> (its persistent folder) and <c>{base_url}</c>
/// (<c>/services/{name}/</c>). Environments of <see cref="AllowedGroups"/> receive <see cref="Variables"/>, whose values
/// may use <c>{url}</c> (the service through the hub's proxy) and <c>{token}</c> (the environment's own hub token, which
/// the proxy accepts for members of those groups).
/// </summary>
/// <param name="Port">The port the container listens on (Kubernetes); a local process gets <c>{port}</c> instead.</param>
/// <param name="Secrets">Variables kept encrypted; on reading, only their names are shown.</param>
/// <param name="VolumeSize">A persistent volume of this size at <see cref="DataPath"/> (Kubernetes); a folder on the local backend.</param>
/// <param name="StripPrefix">The service serves at <c>/</c>: the proxy strips <c>/services/{name}</c>.</param>
internal sealed record ServiceSpec(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    string Pool,
    IReadOnlyList<string> AllowedGroups,
    string? DisplayName = null,
    int Port = 8080,
    string CpuRequest = "250m",
    string CpuLimit = "1",
    string MemoryRequest = "512Mi",
    string MemoryLimit = "1Gi",
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyDictionary<string, string>? Secrets = null,
    string? VolumeSize = null,
    string DataPath = "/data",
    IReadOnlyDictionary<string, string>? Variables = null,
    bool StripPrefix = true,
    bool Enabled = true) : Resources.INamedSpec;
