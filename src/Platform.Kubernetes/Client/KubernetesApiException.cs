using System.Net;
using System.Text.Json;
using k8s.Autorest;
using k8s.Models;

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

    /// <summary>The official client's exception, read as the server's Status.</summary>
    public static KubernetesApiException From(HttpOperationException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var body = e.Response?.Content;
        V1Status? status = null;
        try
        {
            status = string.IsNullOrWhiteSpace(body) ? null : k8s.KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (JsonException)
        {
        }

        var code = e.Response?.StatusCode ?? HttpStatusCode.InternalServerError;
        var causes = (status?.Details?.Causes ?? []).Select(c => $"{c.Field}: {c.Message}".TrimStart(':', ' ')).ToList();
        var message = status?.Message ?? (string.IsNullOrWhiteSpace(body) ? code.ToString() : body.Trim());
        return new KubernetesApiException(code, status?.Reason ?? code.ToString(), message, causes);
    }
}
