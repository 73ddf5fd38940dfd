using System.Globalization;
using System.Text.RegularExpressions;

namespace DevPlatform.Abstractions;

/// <summary>
/// A Kubernetes resource quantity (<c>500m</c>, <c>2</c>, <c>4Gi</c>, <c>1.5G</c>, <c>1e3</c>) parsed to its
/// value in base units (cores or bytes). Only non-negative quantities exist here.
/// </summary>
public readonly partial record struct ResourceQuantity(decimal Value, string Text)
{
    private static readonly Dictionary<string, decimal> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m, ["n"] = 0.000000001m, ["u"] = 0.000001m, ["m"] = 0.001m, ["k"] = 1e3m, ["M"] = 1e6m, ["G"] = 1e9m, ["T"] = 1e12m, ["P"] = 1e15m, ["E"] = 1e18m,
        ["Ki"] = 1024m, ["Mi"] = 1024m * 1024, ["Gi"] = 1024m * 1024 * 1024, ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024, ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<suffix>Ki|[MGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool TryParse(string? text, out ResourceQuantity quantity)
    {
        quantity = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        var match = Grammar().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        decimal multiplier;
        if (suffix.Length > 0 && (suffix[0] == 'e' || suffix[0] == 'E'))
        {
            var exponent = int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (exponent is < -18 or > 18)
            {
                return false;
            }

            multiplier = exponent >= 0 ? Pow10(exponent) : 1m / Pow10(-exponent);
        }
        else if (!Suffixes.TryGetValue(suffix, out multiplier))
        {
            return false;
        }

        try
        {
            quantity = new ResourceQuantity(number * multiplier, text);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Parses a quantity known to be valid (e.g. stored after validation); throws <see cref="FormatException"/> otherwise.</summary>
    public static ResourceQuantity Parse(string text) =>
        TryParse(text, out var quantity) ? quantity : throw new FormatException($"'{text}' is not a Kubernetes quantity.");

    public override string ToString() => Text;

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
