namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// A token read from a file and re-read at least once a minute, as client-go does: projected
/// service-account tokens are rotated by the kubelet underneath us.
/// </summary>
public sealed class TokenFile(string path, TimeProvider time) : ICredentialSource
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);
    private string? token;
    private DateTimeOffset readAt;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (token is null || now - readAt >= RereadAfter)
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            readAt = now;
        }

        return token;
    }

    public void Invalidate() => token = null;
}
