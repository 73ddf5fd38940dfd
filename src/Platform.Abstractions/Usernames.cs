using System.Text;

namespace DevPlatform.Abstractions;

/// <summary>Platform usernames are DNS-1123 labels (they name pods, volumes and URLs).</summary>
public static class Usernames
{
    /// <summary>
    /// Lower-cases and replaces every character outside <c>[a-z0-9-]</c> with '-', e.g. <c>Alice.Smith@Example.org</c>
    /// → <c>alice-smith-example-org</c>; null when nothing usable is left. Collisions are caught by the platform,
    /// which links each username to one (provider, subject) pair.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw.Trim().ToLowerInvariant())
        {
            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var name = builder.ToString().Trim('-');
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        return name.Length == 0 ? null : name;
    }
}
