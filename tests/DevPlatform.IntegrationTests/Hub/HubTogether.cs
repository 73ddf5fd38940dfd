namespace DevPlatform.IntegrationTests.Hub;

/// <summary>Calls sent to one hub all at once (e.g. twenty starts), then to the other; each answer compared with its counterpart.</summary>
public sealed record HubTogether(HubCall[] Calls);
