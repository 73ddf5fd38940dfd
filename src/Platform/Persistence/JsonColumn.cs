using DevPlatform.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Persistence;

internal static class JsonColumn
{
    /// <summary>Stores a list of records as one jsonb value, compared by content for change tracking.</summary>
    public static PropertyBuilder<List<T>> HasJsonConversion<T>(this PropertyBuilder<List<T>> property)
    {
        var comparer = new ValueComparer<List<T>>(
            (a, b) => PlatformJson.Serialize(a) == PlatformJson.Serialize(b),
            v => PlatformJson.Serialize(v).GetHashCode(StringComparison.Ordinal),
            v => PlatformJson.Deserialize<List<T>>(PlatformJson.Serialize(v)));
        return property
            .HasConversion(v => PlatformJson.Serialize(v), v => PlatformJson.Deserialize<List<T>>(v), comparer)
            .HasColumnType("jsonb");
    }
}
