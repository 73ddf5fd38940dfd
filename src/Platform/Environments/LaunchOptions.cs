using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// What a user may launch, group by group: the profiles each of their groups allows (images, bundles, sizes with the
/// estimated hourly cost), and the room left under the group's quotas and budget — what the launcher shows before
/// anyone clicks. The launch itself is still decided by <see cref="LaunchPolicy"/>.
/// </summary>
internal sealed class LaunchOptions(PlatformDbContext db, GroupSpend spend, Costs.CostModel costs)
{
    public sealed record GroupChoice(string Group, GroupRoom Room, IReadOnlyList<ProfileChoice> Profiles);

    /// <param name="MemoryUsed">Bytes requested by the group's active environments.</param>
    public sealed record GroupRoom(
        int Mine, int? MaxRunningPerUser, decimal CpuUsed, string? CpuQuota, long MemoryUsed, string? MemoryQuota, int AcceleratorsUsed, int? AcceleratorQuota,
        decimal? MonthlyBudget, decimal Spent);

    public sealed record ProfileChoice(
        string Name, string DisplayName, string? Description, string Kind, string Pool, string AcceleratorKind, string CapacityType,
        IReadOnlyList<ImageChoice> Images, bool AllowCustomImage, string? CustomImagePattern, IReadOnlyList<BundleChoice> Bundles, IReadOnlyList<SizeChoice> Sizes);

    public sealed record ImageChoice(string Name, string Reference, bool Default);

    public sealed record BundleChoice(string Name, string Manager, IReadOnlyList<string> Packages);

    public sealed record SizeChoice(string Name, string CpuRequest, string MemoryRequest, int Accelerators, decimal HourlyCost, string CostBasis);

    public async Task<IReadOnlyList<GroupChoice>> ForAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Group).FirstOrDefaultAsync(u => u.Name == userName, cancellationToken);
        if (user is null || user.Disabled)
        {
            return [];
        }

        var groups = user.Memberships.Select(m => m.Group).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        var names = groups.SelectMany(g => g.Policy.AllowedProfiles).Distinct().ToList();
        var profiles = await db.Profiles.AsNoTracking().Include(p => p.Pool).Where(p => names.Contains(p.Name)).ToListAsync(cancellationToken);
        var choices = new List<GroupChoice>();
        foreach (var group in groups)
        {
            var active = await ActiveUse.ReadAsync(db, user.Id, group.Name, cancellationToken);
            var policy = group.Policy;
            var room = new GroupRoom(
                active.Mine, policy.MaxRunningEnvironmentsPerUser, active.GroupCpu, policy.CpuQuota,
                active.GroupMemory, policy.MemoryQuota, active.GroupAccelerators, policy.AcceleratorQuota,
                policy.MonthlyBudget, policy.MonthlyBudget is null ? 0 : await spend.MonthToDateAsync(group.Name, cancellationToken));
            var allowed = profiles.Where(p => policy.AllowedProfiles.Contains(p.Name)).OrderBy(p => p.DisplayName ?? p.Name, StringComparer.Ordinal).Select(p => new ProfileChoice(
                p.Name, p.DisplayName ?? p.Name, p.Description, p.Kind.ToString().ToLowerInvariant(), p.Pool.Name, p.Pool.AcceleratorKind, p.Pool.CapacityType.ToString().ToLowerInvariant(),
                p.Images.Select(i => new ImageChoice(i.Name, i.Reference, i.Default)).ToList(), p.AllowCustomImage, p.CustomImagePattern,
                p.Bundles.Select(b => new BundleChoice(b.Name, b.Manager.ToString().ToLowerInvariant(), b.Packages)).ToList(),
                p.Sizes.Select(s =>
                {
                    var rate = costs.RateOf(p.Pool, s.Resources());
                    return new SizeChoice(s.Name, s.CpuRequest, s.MemoryRequest, s.Accelerators, rate.HourlyRate, rate.Basis);
                }).ToList())).ToList();
            choices.Add(new GroupChoice(group.Name, room, allowed));
        }

        return choices;
    }

    /// <summary>Whether <paramref name="image"/> may be used with the profile (one of its images, or a reference its allow-list accepts), and why not.</summary>
    public async Task<(bool Allowed, string Reason)> CheckImageAsync(string profileName, string image, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().Include(p => p.Pool).FirstOrDefaultAsync(p => p.Name == profileName, cancellationToken);
        if (profile is null)
        {
            return (false, $"No profile named '{profileName}'.");
        }

        try
        {
            LaunchPolicy.ChooseImage(profile, image);
            return (true, profile.Images.Any(i => i.Name == image) ? "One of the profile's images." : $"Allowed by the profile's pattern {profile.CustomImagePattern}.");
        }
        catch (Validation.ApiProblemException e)
        {
            return (false, e.Message);
        }
    }
}
