namespace DevPlatform.Abstractions;

/// <summary>
/// Everything a compute backend needs to run one environment, resolved and immutable. In
/// <see cref="Command"/> and <see cref="Environment"/> values, a backend replaces <c>{port}</c> with the
/// port the workload must listen on, <c>{ip}</c> with the address to bind, <c>{home}</c> with the user's
/// home, <c>{base_url}</c> with <see cref="BaseUrl"/> and <c>{token}</c> with the hub API token.
/// </summary>
/// <param name="Id">The environment's id; backends label what they create with it.</param>
/// <param name="BaseUrl">The path prefix the proxy routes to the workload, e.g. <c>/user/alice/lab/</c>.</param>
/// <param name="StripPrefix">The workload cannot serve under <see cref="BaseUrl"/>; the proxy strips it.</param>
/// <param name="Placement">What the pool's accelerator kind needs on Kubernetes (null: nothing).</param>
/// <param name="Mounts">The group's shared and scratch folders, besides the home (null: none).</param>
public sealed record EnvironmentSpec(
    Guid Id,
    string User,
    string Name,
    string Group,
    string Profile,
    string Pool,
    string AcceleratorKind,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    EnvironmentResources Resources,
    IReadOnlyList<PackageInstall> Packages,
    string BaseUrl,
    bool StripPrefix,
    IReadOnlyDictionary<string, string> Labels,
    AcceleratorPlacement? Placement = null,
    IReadOnlyList<StorageMount>? Mounts = null);

/// <summary>A storage area the environment sees at <paramref name="Path"/> under its home (e.g. <c>shared/lab/data</c>).</summary>
public sealed record StorageMount(StorageArea Area, string Path, bool ReadOnly = false);
