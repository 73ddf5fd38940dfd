namespace DevPlatform.Abstractions;

/// <summary>
/// An extension point chosen by name from configuration or data (YARP's named policies). Names are
/// unique per strategy type; configuration naming an unregistered one is a start-up error.
/// </summary>
public interface INamedStrategy
{
    string Name { get; }
}
