using System.Text.Json.Nodes;

namespace DevPlatform.Kubernetes.Compute;

/// <summary>A pod's status and the events about it, in words a user can act on.</summary>
public static class PodProgress
{
    private static readonly Dictionary<string, string> FatalReasons = new(StringComparer.Ordinal)
    {
        ["ImagePullBackOff"] = "The image could not be pulled (ImagePullBackOff): check the image name and tag, and that the registry lets the cluster pull it.",
        ["ErrImagePull"] = "The image could not be pulled (ErrImagePull): check the image name and tag, and that the registry lets the cluster pull it.",
        ["InvalidImageName"] = "The image name is not valid (InvalidImageName).",
        ["CreateContainerConfigError"] = "The container could not be configured (CreateContainerConfigError).",
        ["CrashLoopBackOff"] = "The environment keeps crashing right after it starts (CrashLoopBackOff); its logs say why.",
    };

    /// <summary>The status line, a reason to give up (or null), and whether the container runs.</summary>
    public static (string Status, string? Fatal, bool Running) Status(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        var phase = (string?)status?["phase"] ?? "Pending";
        var container = (status?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var waiting = container?["state"]?["waiting"];
        var terminated = container?["state"]?["terminated"];
        if (waiting is not null && (string?)waiting["reason"] is { } reason)
        {
            var message = (string?)waiting["message"];
            return FatalReasons.TryGetValue(reason, out var fatal)
                ? ($"Container waiting: {reason}", message is null ? fatal : $"{fatal} ({message})", false)
                : (reason == "ContainerCreating" ? "Pulling the image and creating the container" : $"Container waiting: {reason}", null, false);
        }

        if (phase is "Failed" or "Succeeded" || terminated is not null)
        {
            var code = (int?)terminated?["exitCode"];
            return ($"Pod {phase}", $"The environment exited{(code is null ? "" : $" with code {code}")} before it was ready; its logs say why.", false);
        }

        if (container?["state"]?["running"] is not null)
        {
            return ("Container running; waiting for it to answer", null, true);
        }

        var scheduled = (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "PodScheduled");
        return (string?)scheduled?["status"] == "True"
            ? ($"Scheduled on node {(string?)pod["spec"]?["nodeName"]}", null, false)
            : ("Waiting for a node (Karpenter adds one if the pool has none free)", null, false);
    }

    /// <summary>"Warning FailedScheduling: 0/3 nodes are available: …".</summary>
    public static string Describe(JsonObject @event)
    {
        var reason = (string?)@event["reason"];
        var message = (string?)@event["message"];
        var prefix = (string?)@event["type"] == "Warning" ? "Warning: " : "";
        return reason switch
        {
            "FailedScheduling" => $"{prefix}no node can take it yet ({message}); Karpenter is asked for one",
            "Pulling" => $"Pulling the image: {message}",
            "Pulled" => $"Image pulled: {message}",
            "Started" => "Container started",
            _ => $"{prefix}{reason}: {message}",
        };
    }
}
