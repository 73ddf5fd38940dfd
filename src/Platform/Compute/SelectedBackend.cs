using DevPlatform.Abstractions;

namespace DevPlatform.Compute;

/// <summary>The backend configured by <c>Compute:Backend</c>, resolved once.</summary>
internal sealed record SelectedBackend(IComputeBackend Backend);
