namespace DevPlatform.Identity;

/// <summary>Endpoint metadata: this endpoint creates or revokes credentials, so a personal API token needs the 'admin' scope to call it.</summary>
internal sealed class MintsCredentials;
