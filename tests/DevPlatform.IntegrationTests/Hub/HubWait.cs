namespace DevPlatform.IntegrationTests.Hub;

/// <summary>Waits (uncompared) until the user's server is ready, or gone, on one hub: server starts take their own time on each.</summary>
public sealed record HubWait(string Label, string User, string Server, bool Ready);
