using System.Security.Cryptography.X509Certificates;

namespace DevPlatform.Kubernetes.Client;

/// <summary>How to reach one API server: where, whom to trust, and who we are.</summary>
/// <param name="CaCertificates">Roots to trust instead of the system store; empty = the system store.</param>
/// <param name="ClientCertificate">For client-certificate authentication (kubeconfig or an exec plugin).</param>
/// <param name="Credentials">Bearer tokens (static, file, service account, exec plugin); null = none.</param>
/// <param name="Namespace">The context's (or service account's) namespace.</param>
public sealed record ClusterConnection(
    Uri Server,
    X509Certificate2Collection CaCertificates,
    X509Certificate2? ClientCertificate,
    ICredentialSource? Credentials,
    string Namespace,
    bool InsecureSkipTlsVerify = false,
    string? TlsServerName = null);
