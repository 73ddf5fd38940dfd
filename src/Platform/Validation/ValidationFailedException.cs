namespace DevPlatform.Validation;

/// <summary>Input broke a rule; becomes a 400 problem with one entry per field. Nothing was stored.</summary>
internal sealed class ValidationFailedException(IDictionary<string, string[]> errors)
    : Exception("One or more fields are invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IDictionary<string, string[]> Errors { get; } = errors;
}
