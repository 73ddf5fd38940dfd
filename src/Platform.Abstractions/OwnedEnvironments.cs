namespace DevPlatform.Abstractions;

/// <summary>Of the environment ids a backend found workloads for, those the platform owns now (asked after the backend looked).</summary>
public delegate Task<IReadOnlySet<Guid>> OwnedEnvironments(IReadOnlyCollection<Guid> found, CancellationToken cancellationToken);
