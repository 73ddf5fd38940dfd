namespace DevPlatform.Kubernetes.Model;

/// <summary>
/// metrics.k8s.io/v1beta1 PodMetrics as metrics-server serves it: per container, CPU and memory in use,
/// averaged over <see cref="Window"/> (a duration such as <c>15s</c>) ending at <see cref="Timestamp"/>.
/// </summary>
public sealed record PodMetrics(ObjectMeta Metadata, DateTimeOffset? Timestamp = null, string? Window = null, IReadOnlyList<ContainerMetrics>? Containers = null);

/// <param name="Usage">Quantities by resource: <c>cpu</c> (e.g. <c>250m</c>, <c>1234567n</c>) and <c>memory</c> (e.g. <c>512Mi</c>, <c>524288Ki</c>).</param>
public sealed record ContainerMetrics(string Name, IReadOnlyDictionary<string, string> Usage);
