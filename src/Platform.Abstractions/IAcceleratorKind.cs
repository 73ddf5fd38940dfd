using System.Text.Json;

namespace DevPlatform.Abstractions;

/// <summary>
/// A hardware tier a compute pool can be built on (cpu, nvidia-gpu, …). Pools are data and name their
/// kind; the kind is code and checks the pool's free-form configuration.
/// </summary>
public interface IAcceleratorKind : INamedStrategy
{
    string DisplayName { get; }

    /// <summary>Checks a pool's <c>configuration</c> object; an empty list means it is valid.</summary>
    IReadOnlyList<ConfigurationError> ValidatePoolConfiguration(JsonElement configuration);
}
