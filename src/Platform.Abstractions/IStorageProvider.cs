namespace DevPlatform.Abstractions;

/// <summary>Where homes and shared folders live (local disk, EFS). Chosen by <c>Storage:Provider</c>.</summary>
public interface IStorageProvider : INamedStrategy
{
    string DisplayName { get; }
}
