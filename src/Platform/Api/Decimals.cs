namespace DevPlatform.Api;

internal static class Decimals
{
    /// <summary>Drops trailing zeros (0.190000 → 0.19): PostgreSQL numeric columns pad to their scale, and specs compare as text.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    public static decimal? Normalize(decimal? value) => value is { } v ? Normalize(v) : null;
}
