using System.Text.Json;

namespace DevPlatform.Api;

/// <summary>Says what a <see cref="JsonException"/> means in words a person can act on.</summary>
internal static class JsonErrorText
{
    public static string Explain(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.Split(" Path:", 2)[0];
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a known field; remove it or check its spelling.";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = message[(message.IndexOf("including:", StringComparison.Ordinal) + 10)..].Trim().TrimEnd('.');
            return $"is missing required field(s) {names}.";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var type = message[(message.LastIndexOf(' ') + 1)..].TrimEnd('.');
            return $"has the wrong type: expected {Describe(type)}.";
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("nullable", StringComparison.OrdinalIgnoreCase))
        {
            return "must not be null.";
        }

        return message;
    }

    private static string Describe(string type) => type switch
    {
        _ when type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Int", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("IReadOnlyList", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "a list",
        _ when type.Contains("CapacityType", StringComparison.Ordinal) => "'on-demand' or 'spot'",
        _ when type.Contains("PackageManager", StringComparison.Ordinal) => "'pip' or 'conda'",
        _ when type.Contains("MembershipRole", StringComparison.Ordinal) => "'member' or 'manager'",
        _ => "an object of the documented shape",
    };
}
