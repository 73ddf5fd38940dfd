namespace DevPlatform.Kubernetes.Client;

/// <param name="LabelSelector">e.g. <c>app.kubernetes.io/managed-by=devplatform</c>.</param>
/// <param name="FieldSelector">e.g. <c>metadata.name=env-1234</c>.</param>
/// <param name="PageSize">The <c>limit</c> per page; pages are followed through <c>continue</c>.</param>
public sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null, int PageSize = 500)
{
    public static readonly ListOptions All = new();

    public string Query()
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(LabelSelector))
        {
            parts.Add("labelSelector=" + Uri.EscapeDataString(LabelSelector));
        }

        if (!string.IsNullOrEmpty(FieldSelector))
        {
            parts.Add("fieldSelector=" + Uri.EscapeDataString(FieldSelector));
        }

        return string.Join('&', parts);
    }
}
