using System.Net;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// The API server said no. <see cref="Reason"/> and the message come from its <c>Status</c> body (e.g.
/// <c>Conflict</c> with the field managers that own a field, <c>Invalid</c> with the offending fields).
/// </summary>
public sealed class KubernetesApiException(HttpStatusCode status, string reason, string message, IReadOnlyList<string> causes)
    : Exception($"Kubernetes API {(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Reason { get; } = reason;

    /// <summary>The server's own words, fit to show a person.</summary>
    public string ServerMessage { get; } = message;

    /// <summary>For 422 Invalid: "field: message" per cause.</summary>
    public IReadOnlyList<string> Causes { get; } = causes;
}
