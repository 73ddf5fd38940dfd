using System.Text.RegularExpressions;

namespace DevPlatform.Validation;

/// <summary>Names of users, groups, pools, profiles, images, bundles and sizes: RFC 1123 labels, as Kubernetes names them.</summary>
internal static partial class NameRules
{
    public const int MaxLength = 63;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    public static void CheckName(this ValidationErrors errors, string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(field, "is required: a DNS-1123 label such as 'lab-a' (lower-case letters, digits and '-').");
        }
        else if (name.Length > MaxLength)
        {
            errors.Add(field, $"'{Shorten(name)}' is {name.Length} characters; a DNS-1123 label has at most {MaxLength}.");
        }
        else if (!Label().IsMatch(name))
        {
            errors.Add(field, $"'{Shorten(name)}' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. 'lab-a').");
        }
    }

    public static void CheckText(this ValidationErrors errors, string field, string? text, int maxLength)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > maxLength)
        {
            errors.Add(field, $"is {text.Length} characters; at most {maxLength} are allowed.");
        }
        else if (text.Any(char.IsControl) && field != "description")
        {
            errors.Add(field, "contains control characters (newlines, tabs…); use plain text on one line.");
        }
    }

    /// <summary>Each name unique within its list: <c>sizes[2].name 'small' is already used by sizes[0]</c>.</summary>
    public static void CheckUnique<T>(this ValidationErrors errors, string listField, IReadOnlyList<T> items, Func<T, string?> name)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = name(items[i]);
            if (value is not null && !seen.TryAdd(value, i))
            {
                errors.Add($"{listField}[{i}].name", $"'{value}' is already used by {listField}[{seen[value]}]; names in a list must be unique.");
            }
        }
    }

    public static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
