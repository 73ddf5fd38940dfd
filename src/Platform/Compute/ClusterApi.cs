using DevPlatform.Kubernetes.Cluster;

namespace DevPlatform.Compute;

internal static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/cluster/manifests", async (ClusterRender render, string? format, CancellationToken ct) =>
        {
            var objects = await render.RenderAsync(ct);
            return format == "json"
                ? Results.Json(objects)
                : Results.Text(ClusterManifests.ToYaml(objects), "application/yaml");
        }).WithName("RenderClusterManifests").WithTags("Cluster")
            .WithSummary("Karpenter NodePools and EC2NodeClasses for the pools, and device plugin configuration, as YAML for kubectl apply (?format=json for JSON).");
        return admin;
    }
}
