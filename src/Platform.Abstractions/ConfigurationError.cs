namespace DevPlatform.Abstractions;

/// <summary>One problem with a piece of configuration.</summary>
/// <param name="Path">Where, relative to the object checked, e.g. <c>gpusPerNode</c> or <c>instanceTypes[2]</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record ConfigurationError(string Path, string Message);
