using k8s.Models;

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
    public static (string Status, string? Fatal, bool Running) Status(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var phase = pod.Status?.Phase ?? "Pending";
        var state = pod.Status?.ContainerStatuses is [var container, ..] ? container.State : null;
        if (state?.Waiting?.Reason is { } reason)
        {
            var message = state.Waiting.Message;
            return FatalReasons.TryGetValue(reason, out var fatal)
                ? ($"Container waiting: {reason}", message is null ? fatal : $"{fatal} ({message})", false)
                : (reason == "ContainerCreating" ? "Pulling the image and creating the container" : $"Container waiting: {reason}", null, false);
        }

        if (phase is "Failed" or "Succeeded" || state?.Terminated is not null)
        {
            var code = state?.Terminated?.ExitCode;
            return ($"Pod {phase}", $"The environment exited{(code is null ? "" : $" with code {code}")} before it was ready; its logs say why.", false);
        }

        if (state?.Running is not null)
        {
            return ("Container running; waiting for it to answer", null, true);
        }

        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        return scheduled?.Status == "True"
            ? ($"Scheduled on node {pod.Spec?.NodeName}", null, false)
            : ("Waiting for a node (Karpenter adds one if the pool has none free)", null, false);
    }

    /// <summary>The container's exit code once it has ended, else null.</summary>
    public static int? ExitCode(V1Pod? pod) => pod?.Status?.ContainerStatuses is [var container, ..] ? container.State?.Terminated?.ExitCode : null;

    /// <summary>"Warning: no node can take it yet (0/3 nodes are available: …)".</summary>
    public static string Describe(Corev1Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var prefix = @event.Type == "Warning" ? "Warning: " : "";
        return @event.Reason switch
        {
            "FailedScheduling" => $"{prefix}no node can take it yet ({@event.Message}); Karpenter is asked for one",
            "Pulling" => $"Pulling the image: {@event.Message}",
            "Pulled" => $"Image pulled: {@event.Message}",
            "Started" => "Container started",
            _ => $"{prefix}{@event.Reason}: {@event.Message}",
        };
    }
}
