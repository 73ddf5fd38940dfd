namespace DevPlatform.Hosting;

/// <summary>
/// Start-up cannot go on (a required plugin failed, configuration names an unknown strategy, the schema
/// is behind). The message is the one line a person reads: what is wrong and what to do.
/// </summary>
internal sealed class StartupException(string message) : Exception(message);
