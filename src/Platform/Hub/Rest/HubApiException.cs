namespace DevPlatform.Hub.Rest;

/// <summary>An answer in JupyterHub's error form: <c>{"status": 404, "message": "…"}</c>.</summary>
internal sealed class HubApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
