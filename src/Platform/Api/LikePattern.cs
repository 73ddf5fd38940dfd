namespace DevPlatform.Api;

internal static class LikePattern
{
    /// <summary>A LIKE/ILIKE pattern matching values that contain <paramref name="text"/> literally (escape character '\').</summary>
    public static string Containing(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
