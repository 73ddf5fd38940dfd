using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// Reads a kubeconfig as kubectl does: the named (or current) context, its cluster (server, CA file or
/// data, insecure-skip-tls-verify, tls-server-name) and user (client certificate and key as files or
/// data, token, tokenFile, exec plugin). Relative paths are relative to the file. With several files
/// (<c>KUBECONFIG=a:b</c>) the first file to define a name wins, as in kubectl.
/// </summary>
public static class KubeConfig
{
    public static ClusterConnection Load(IReadOnlyList<string> paths, string? context, TimeProvider time)
    {
        var files = paths.Where(File.Exists).Select(p => (Path: Path.GetFullPath(p), Root: YamlJson.Parse(File.ReadAllText(p)) as JsonObject ?? [])).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No kubeconfig found at {string.Join(", ", paths)}; set Kubernetes:KubeConfig or KUBECONFIG.");
        }

        var contextName = context ?? files.Select(f => (string?)f.Root["current-context"]).FirstOrDefault(c => !string.IsNullOrEmpty(c))
            ?? throw new InvalidOperationException("The kubeconfig has no current-context; set Kubernetes:Context.");
        var (contextEntry, _) = Find(files, "contexts", contextName, "context");
        var clusterName = (string?)contextEntry["cluster"] ?? throw new InvalidOperationException($"Context '{contextName}' names no cluster.");
        var (cluster, clusterDir) = Find(files, "clusters", clusterName, "cluster");
        var userName = (string?)contextEntry["user"];
        var (user, userDir) = userName is null ? ([], "") : Find(files, "users", userName, "user");

        var server = (string?)cluster["server"] ?? throw new InvalidOperationException($"Cluster '{clusterName}' has no server.");
        var ca = new X509Certificate2Collection();
        if (Bytes(cluster, "certificate-authority", clusterDir) is { } caPem)
        {
            ca.ImportFromPem(Encoding.ASCII.GetString(caPem));
        }

        X509Certificate2? clientCertificate = null;
        if (Bytes(user, "client-certificate", userDir) is { } certPem)
        {
            var keyPem = Bytes(user, "client-key", userDir) ?? throw new InvalidOperationException($"User '{userName}' has a client certificate but no client key.");
            clientCertificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certPem), Encoding.ASCII.GetString(keyPem));
        }

        return new ClusterConnection(new Uri(server), ca, clientCertificate, Credentials(user, userDir, time), (string?)contextEntry["namespace"] ?? "default",
            (bool?)cluster["insecure-skip-tls-verify"] ?? false, (string?)cluster["tls-server-name"]);
    }

    /// <summary>The paths kubectl would read: the explicit one, else <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static IReadOnlyList<string> DefaultPaths(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return [configured];
        }

        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        return !string.IsNullOrEmpty(variable)
            ? variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")];
    }

    private static ICredentialSource? Credentials(JsonObject user, string directory, TimeProvider time)
    {
        if (user["exec"] is JsonObject exec)
        {
            var environment = (exec["env"] as JsonArray ?? []).OfType<JsonObject>()
                .ToDictionary(e => (string?)e["name"] ?? "", e => (string?)e["value"] ?? "", StringComparer.Ordinal);
            return new ExecCredentialPlugin(new ExecCredentialPlugin.Settings(
                (string?)exec["apiVersion"] ?? "client.authentication.k8s.io/v1",
                (string?)exec["command"] ?? throw new InvalidOperationException("The kubeconfig's exec plugin has no command."),
                (exec["args"] as JsonArray ?? []).Select(a => (string?)a ?? "").ToList(), environment, (string?)exec["installHint"]), time);
        }

        if ((string?)user["token"] is { Length: > 0 } token)
        {
            return new StaticToken(token);
        }

        return (string?)user["tokenFile"] is { Length: > 0 } file ? new TokenFile(Path.Combine(directory, file), time) : null;
    }

    /// <summary>A field given either as <c>{name}-data</c> (base64) or as a file path <c>{name}</c>.</summary>
    private static byte[]? Bytes(JsonObject entry, string name, string directory) =>
        (string?)entry[$"{name}-data"] is { Length: > 0 } data ? Convert.FromBase64String(data)
        : (string?)entry[name] is { Length: > 0 } path ? File.ReadAllBytes(Path.Combine(directory, path))
        : null;

    private static (JsonObject Entry, string Directory) Find(List<(string Path, JsonObject Root)> files, string section, string name, string field)
    {
        foreach (var (path, root) in files)
        {
            var match = (root[section] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => (string?)e["name"] == name);
            if (match is not null)
            {
                return (match[field] as JsonObject ?? [], Path.GetDirectoryName(path)!);
            }
        }

        throw new InvalidOperationException($"The kubeconfig has no {field} named '{name}'.");
    }
}
