using System.ComponentModel;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.IntegrationTests.Kubernetes.Schemas;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The schema check every Kubernetes object we would send goes through. Its source, first that is there:
/// <c>DEVPLATFORM_K8S_SCHEMAS</c> (a folder of the official OpenAPI v3 documents and CRDs), <c>../shared/k8s-openapi</c>
/// beside the repository, else the npm validators generated from the same documents (<see cref="NpmKubernetesModels"/>),
/// which the test run installs itself. Both sources describe problems in the same words.
/// </summary>
public static class KubernetesSchemas
{
    private static readonly Lazy<SchemaValidator> Chosen = new(Choose);
    private static readonly Lazy<NpmKubernetesModels> Npm = new(() => Start(() => NpmKubernetesModels.Start(Path.Combine(RepositoryFolder.Root, "tests", "DevPlatform.IntegrationTests", "Kubernetes", "Schemas"))));

    /// <summary>The validator in use; throws one clear error naming what to install or set when none can be had.</summary>
    public static SchemaValidator Instance => Chosen.Value;

    /// <summary>The npm validators, whichever source <see cref="Instance"/> uses (so both stay tested).</summary>
    public static SchemaValidator NpmModels => Npm.Value;

    /// <summary>The folder of OpenAPI documents if one is configured or beside the repository.</summary>
    public static string? DocumentsFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DEVPLATFORM_K8S_SCHEMAS") is { Length: > 0 } configured)
            {
                return Directory.Exists(Path.Combine(configured, "v3")) ? configured : throw new InvalidOperationException($"DEVPLATFORM_K8S_SCHEMAS={configured} has no v3/ folder of OpenAPI documents.");
            }

            var beside = Path.GetFullPath(Path.Combine(RepositoryFolder.Root, "..", "shared", "k8s-openapi"));
            return Directory.Exists(Path.Combine(beside, "v3")) ? beside : null;
        }
    }

    private static SchemaValidator Choose() => DocumentsFolder is { } folder ? new OpenApiDocuments(folder) : Npm.Value;

    private static NpmKubernetesModels Start(Func<NpmKubernetesModels> start)
    {
        try
        {
            return start();
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            throw new InvalidOperationException(
                "No Kubernetes schemas to validate against: ../shared/k8s-openapi is not beside the repository and DEVPLATFORM_K8S_SCHEMAS is unset, " +
                $"and the npm validators (kubernetes-models) could not be installed or started: {e.Message}. Install node and npm (Debian: apt-get install nodejs npm), " +
                "or set DEVPLATFORM_K8S_SCHEMAS to a folder of the official OpenAPI v3 documents.", e);
        }
    }
}
