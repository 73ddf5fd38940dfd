using System.Security.Cryptography.X509Certificates;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// The pod's own service account: <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, and the token, CA and
/// namespace mounted at <c>/var/run/secrets/kubernetes.io/serviceaccount</c> (the token re-read as it rotates).
/// </summary>
public static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(string directory = DefaultDirectory) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) && File.Exists(Path.Combine(directory, "token"));

    /// <param name="environment">The variables to read (default: this process's environment).</param>
    public static ClusterConnection Load(TimeProvider time, string directory = DefaultDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Variable(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var host = Variable("KUBERNETES_SERVICE_HOST") ?? throw new InvalidOperationException("KUBERNETES_SERVICE_HOST is not set: not running in a pod.");
        var port = Variable("KUBERNETES_SERVICE_PORT") ?? "443";
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(Path.Combine(directory, "ca.crt"));
        var namespaceFile = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : "default";
        var server = new UriBuilder("https", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)).Uri;
        return new ClusterConnection(server, ca, null, new TokenFile(Path.Combine(directory, "token"), time), ns);
    }
}
