namespace DevPlatform.Kubernetes.Client;

/// <summary>Supplies the bearer token for each request; <see cref="Invalidate"/> after a 401 so the next call fetches a fresh one.</summary>
public interface ICredentialSource
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);

    void Invalidate();
}
