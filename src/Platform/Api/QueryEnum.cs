using DevPlatform.Validation;

namespace DevPlatform.Api;

/// <summary>Enum filters in query strings, spelled as the JSON spells them (<c>on-demand</c>, <c>running</c>).</summary>
internal static class QueryEnum
{
    public static T? Parse<T>(string? value, string field)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > 0 && char.IsLetter(value[0]) && Enum.TryParse<T>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            return parsed;
        }

        var errors = new ValidationErrors();
        errors.Add(field, $"'{NameRules.Shorten(value)}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(Kebab))}.");
        errors.ThrowIfAny();
        return null;
    }

    private static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
