using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The platform's own install (deploy/kubernetes): the example overlay renders with the real kubectl kustomize, every
/// object validates against the official schemas, and the Deployment is made to stay up (2 replicas spread out,
/// probes, a disruption budget, non-root, read-only root).
/// </summary>
public sealed class DeploymentManifestsTests
{
    public static readonly string Repository = RepositoryFolder.Root;

    public static async Task<List<JsonObject>> RenderAsync()
    {
        var yaml = await CommandLine.SucceedAsync("/usr/bin/kubectl", ["kustomize", Path.Combine(Repository, "deploy", "kubernetes", "overlays", "example")]);
        return yaml.Split("\n---\n").Select(d => YamlJson.Parse(d)!.AsObject()).ToList();
    }

    [Fact]
    public async Task TheExampleOverlay_RendersObjectsThatAllValidate()
    {
        var objects = await RenderAsync();
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Ingress", "Namespace", "NetworkPolicy", "PersistentVolume", "PersistentVolumeClaim",
            "PodDisruptionBudget", "Secret", "Service", "ServiceAccount"], objects.Select(o => (string)o["kind"]!).Order(StringComparer.Ordinal));
        foreach (var item in objects)
        {
            KubernetesSchemas.Instance.AssertValid(item);
        }

        var deployment = objects.Single(o => (string?)o["kind"] == "Deployment");
        Assert.Equal(2L, (long)deployment["spec"]!["replicas"]!);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("devplatform", (string?)pod["serviceAccountName"]);
        Assert.NotNull(pod["affinity"]!["podAntiAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com/devplatform/platform:0.9.0", (string?)container["image"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.Equal(["migrate"], pod["initContainers"]![0]!["args"]!.AsArray().Select(a => (string?)a));
        var secretName = (string?)objects.Single(o => (string?)o["kind"] == "Secret")["metadata"]!["name"];
        Assert.Contains(container["envFrom"]!.AsArray(), e => (string?)e!["secretRef"]?["name"] == secretName); // the hashed name kustomize generated
        Assert.Equal(1L, (long)objects.Single(o => (string?)o["kind"] == "PodDisruptionBudget")["spec"]!["minAvailable"]!);
        Assert.Equal("arn:aws:iam::123456789012:role/devplatform", (string?)objects.Single(o => (string?)o["kind"] == "ServiceAccount")["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]);
        Assert.All(objects.Where(o => (string?)o["kind"] is not ("ClusterRole" or "ClusterRoleBinding" or "Namespace" or "PersistentVolume")),
            o => Assert.Equal("devplatform", (string?)o["metadata"]!["namespace"]));
    }

    [Fact]
    public async Task TheContainerImage_IsConfiguredAsTheSdkWillBuildIt()
    {
        var json = await CommandLine.SucceedAsync("/usr/bin/env", ["dotnet", "msbuild", Path.Combine(Repository, "src", "Platform", "DevPlatform.Platform.csproj"),
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTags", "-getItem:ContainerPort", "-getItem:ContainerLabel"]);
        var result = JsonNode.Parse(json)!;
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", (string?)result["Properties"]!["ContainerBaseImage"]);
        Assert.Equal("app", (string?)result["Properties"]!["ContainerUser"]); // the runtime image's non-root user (uid 1654), as the Deployment runs it
        Assert.Equal("8080", (string?)result["Items"]!["ContainerPort"]![0]!["Identity"]);
        var labels = result["Items"]!["ContainerLabel"]!.AsArray().ToDictionary(l => (string)l!["Identity"]!, l => (string?)l!["Value"]);
        Assert.Equal("0.9.0", labels["org.opencontainers.image.version"]);
        Assert.StartsWith("https://", labels["org.opencontainers.image.source"], StringComparison.Ordinal);
        Assert.StartsWith("0.9.0;", (string?)result["Properties"]!["ContainerImageTags"], StringComparison.Ordinal);
    }
}
