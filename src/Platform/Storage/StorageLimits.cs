using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Storage;

/// <summary>Soft and hard limits in bytes (null: none).</summary>
internal sealed record StorageLimit(long? Soft, long? Hard)
{
    /// <summary>A user's home: the most generous of the user's groups (a group without a limit means none).</summary>
    public static async Task<StorageLimit> HomeOfAsync(PlatformDbContext db, long userId, CancellationToken cancellationToken)
    {
        var policies = await db.Memberships.Where(m => m.UserId == userId).Select(m => new { m.Group.Policy.HomeSoftQuota, m.Group.Policy.HomeQuota }).ToListAsync(cancellationToken);
        return policies.Count == 0 ? new StorageLimit(null, null)
            : new StorageLimit(MostGenerous(policies.Select(p => p.HomeSoftQuota)), MostGenerous(policies.Select(p => p.HomeQuota)));
    }

    public static StorageLimit OfGroup(string? soft, string? hard) => new(Bytes(soft), Bytes(hard));

    private static long? MostGenerous(IEnumerable<string?> quotas)
    {
        var bytes = quotas.Select(Bytes).ToList();
        return bytes.Any(b => b is null) ? null : bytes.Max();
    }

    private static long? Bytes(string? quantity) => ResourceQuantity.TryParse(quantity, out var q) ? (long)q.Value : null;
}
