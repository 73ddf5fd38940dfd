using System.Globalization;

namespace DevPlatform.WebConsole;

/// <summary>Reads typed values from a posted form; a value that is not a number becomes a field error, not a crash.</summary>
internal sealed class PostedForm(Func<string, string?> read)
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    /// <summary>The problems found so far, as the page shows them; null when there are none.</summary>
    public ConsoleError? Errors => errors.Count == 0 ? null : new ConsoleError("Please correct these fields.", "", errors);

    public string? Text(string name) => read(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public int? Int(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a whole number."];
        return null;
    }

    public decimal? Decimal(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[name] = [$"'{text}' is not a number such as 250 or 99.50."];
        return null;
    }

    public List<string> List(string name) =>
        (Text(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
