namespace DevPlatform.Validation;

/// <summary>
/// A refusal a person can act on, with its HTTP status (403 not allowed, 409 over a limit, 402 budget,
/// 422 unacceptable value, 429 too many starts) and, where useful, machine-readable details.
/// </summary>
internal sealed class ApiProblemException(int status, string title, string detail, IDictionary<string, object?>? extensions = null, TimeSpan? retryAfter = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
