namespace DevPlatform.Validation;

/// <summary>Collects field errors under JSON-path-like keys (<c>sizes[1].memoryLimit</c>) for a 400 problem.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ValidationFailedException(ToDictionary());
        }
    }
}
