namespace DevPlatform.Kubernetes.Client;

/// <summary>A token written in the kubeconfig.</summary>
public sealed class StaticToken(string token) : ICredentialSource
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);

    public void Invalidate()
    {
    }
}
