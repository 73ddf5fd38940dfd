using DevPlatform.Abstractions;
using DevPlatform.Catalog;
using DevPlatform.Compute;
using DevPlatform.Persistence;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Environments;

/// <summary>
/// Decides whether a launch may happen, in the order a person can act on: the request itself (400),
/// the profile for the user's groups (403), the image (422), then the limits in force — per-user running
/// environments, the group's CPU / memory / accelerator quotas (409, naming the limit, its value and
/// current use), the group's monthly budget (402) and the hub's concurrent starts (429 with Retry-After).
/// </summary>
internal sealed class LaunchPolicy(PlatformDbContext db, GroupSpend spend, IOptions<ComputeOptions> compute, Costs.CostModel costs)
{
    public async Task<LaunchPlan> CheckAsync(string userName, LaunchRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group).FirstOrDefaultAsync(u => u.Name == userName, cancellationToken)
            ?? throw new ResourceNotFoundException("user", userName);
        if (user.Disabled)
        {
            throw new ApiProblemException(403, "Account disabled.", $"The account '{userName}' is disabled; ask an administrator.");
        }

        var errors = new ValidationErrors();
        errors.CheckName("name", request.Name);
        errors.CheckName("profile", request.Profile);
        errors.ThrowIfAny();

        var profile = await db.Profiles.Include(p => p.Pool).FirstOrDefaultAsync(p => p.Name == request.Profile, cancellationToken);
        if (profile is null)
        {
            errors.Add("profile", $"no profile named '{request.Profile}' exists.");
            errors.ThrowIfAny();
        }

        var group = ChooseGroup(user, profile!, request.Group);
        var size = ChooseSize(profile!, request.Size, errors);
        var bundles = ChooseBundles(profile!, request.Bundles ?? [], errors);
        errors.ThrowIfAny();
        var image = ChooseImage(profile!, request.Image);

        return new LaunchPlan(user, group, profile!, image, size!, bundles,
            ResourceQuantity.Parse(size!.CpuRequest).Value, (long)ResourceQuantity.Parse(size.MemoryRequest).Value,
            costs.RateOf(profile!.Pool, size.Resources()),
            await MountsAsync(group, cancellationToken),
            await ReadAsync(user, group, cancellationToken));
    }

    /// <summary>
    /// The group's own shared folders (read-write) and scratch folder, then the shared folders other groups open to
    /// everyone (read-only), each at <c>shared/{group}/{folder}</c> or <c>scratch/{group}</c> under the home.
    /// </summary>
    private async Task<IReadOnlyList<StorageMount>> MountsAsync(Group group, CancellationToken cancellationToken)
    {
        var mounts = group.Policy.SharedFolders.Select(f => new StorageMount(StorageArea.Shared(group.Name, f), $"shared/{group.Name}/{f}")).ToList();
        if (group.Policy.ScratchRetentionDays is not null)
        {
            mounts.Add(new StorageMount(StorageArea.Scratch(group.Name), $"scratch/{group.Name}"));
        }

        var open = await db.Groups.AsNoTracking().Where(g => g.Name != group.Name && g.Policy.SharedFoldersReadableByAll)
            .OrderBy(g => g.Name).Select(g => new { g.Name, g.Policy.SharedFolders }).ToListAsync(cancellationToken);
        mounts.AddRange(open.SelectMany(g => g.SharedFolders.Select(f => new StorageMount(StorageArea.Shared(g.Name, f), $"shared/{g.Name}/{f}", ReadOnly: true))));
        return mounts;
    }

    private static Group ChooseGroup(User user, Profile profile, string? requested)
    {
        var allowing = user.Memberships.Select(m => m.Group).Where(g => g.Policy.AllowedProfiles.Contains(profile.Name)).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (requested is not null)
        {
            var group = user.Memberships.Select(m => m.Group).FirstOrDefault(g => g.Name == requested)
                ?? throw new ApiProblemException(403, "Not a member.", $"You are not a member of group '{requested}'.");
            return allowing.Contains(group) ? group
                : throw new ApiProblemException(403, "Profile not allowed.", $"Group '{requested}' does not allow profile '{profile.Name}'.",
                    new Dictionary<string, object?> { ["allowedProfiles"] = group.Policy.AllowedProfiles });
        }

        return allowing.FirstOrDefault() ?? throw new ApiProblemException(403, "Profile not allowed.",
            user.Memberships.Count == 0
                ? $"You are not in any group, so no profile is allowed; ask an administrator to add you to a group that allows '{profile.Name}'."
                : $"None of your groups ({string.Join(", ", user.Memberships.Select(m => m.Group.Name).Order(StringComparer.Ordinal))}) allows profile '{profile.Name}'.",
            new Dictionary<string, object?> { ["allowedProfiles"] = user.Memberships.SelectMany(m => m.Group.Policy.AllowedProfiles).Distinct().Order(StringComparer.Ordinal).ToList() });
    }

    private static ProfileSize? ChooseSize(Profile profile, string? requested, ValidationErrors errors)
    {
        var size = requested is null ? profile.Sizes.FirstOrDefault() : profile.Sizes.FirstOrDefault(s => s.Name == requested);
        if (size is null)
        {
            errors.Add("size", $"profile '{profile.Name}' has no size '{requested}'; choose one of: {string.Join(", ", profile.Sizes.Select(s => s.Name))}.");
        }

        return size;
    }

    private static List<PackageBundle> ChooseBundles(Profile profile, IReadOnlyList<string> requested, ValidationErrors errors)
    {
        var chosen = new List<PackageBundle>();
        for (var i = 0; i < requested.Count; i++)
        {
            var bundle = profile.Bundles.FirstOrDefault(b => b.Name == requested[i]);
            if (bundle is null)
            {
                errors.Add($"bundles[{i}]", $"profile '{profile.Name}' has no bundle '{NameRules.Shorten(requested[i] ?? string.Empty)}'; choose from: {(profile.Bundles.Count == 0 ? "none" : string.Join(", ", profile.Bundles.Select(b => b.Name)))}.");
            }
            else if (!chosen.Contains(bundle))
            {
                chosen.Add(bundle);
            }
        }

        return chosen;
    }

    internal static string ChooseImage(Profile profile, string? requested)
    {
        if (requested is null)
        {
            return (profile.Images.FirstOrDefault(i => i.Default) ?? profile.Images.FirstOrDefault())?.Reference
                ?? throw new ApiProblemException(422, "Image required.", $"Profile '{profile.Name}' has no default image; name your own image.");
        }

        if (profile.Images.FirstOrDefault(i => i.Name == requested) is { } offered)
        {
            return offered.Reference;
        }

        if (!profile.AllowCustomImage)
        {
            throw new ApiProblemException(422, "Custom image not allowed.",
                $"Profile '{profile.Name}' does not accept your own images; choose one of: {string.Join(", ", profile.Images.Select(i => i.Name))}.");
        }

        if (!ImageReference.IsValid(requested))
        {
            throw new ApiProblemException(422, "Not an image reference.", $"'{NameRules.Shorten(requested)}' is not an OCI image reference such as 'ghcr.io/my-lab/env:1.0'.");
        }

        bool matches;
        try
        {
            matches = ProfileRules.CustomImageRegex(profile.CustomImagePattern!).IsMatch(requested);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            matches = false;
        }

        return matches ? requested : throw new ApiProblemException(422, "Image not on the allow-list.",
            $"'{requested}' does not match the images profile '{profile.Name}' allows (pattern: {profile.CustomImagePattern}).",
            new Dictionary<string, object?> { ["pattern"] = profile.CustomImagePattern });
    }

    /// <remarks>Inside a launch's transaction the counts are taken under <see cref="LaunchLock"/>, so parallel launches cannot all pass.</remarks>
    /// <summary>
    /// The limits whose use is counted from what is active ("count, then add one": two launches, on one host or two, must
    /// not both count before either adds) are checked under the hub-wide <see cref="LaunchLock"/>, which is held until the
    /// launch's transaction commits: call this inside that transaction, right before the launch is written. What is active
    /// is counted in one statement, so the lock is held for it, the write and the commit — three round trips — while
    /// everything else (the request, the profile, storage and spend) was read before. Limits are reported in the order above.
    /// </summary>
    public async Task ReserveAsync(LaunchPlan plan, CancellationToken cancellationToken)
    {
        await LaunchLock.TakeAsync(db, cancellationToken);
        var active = await ActiveUse.ReadAsync(db, plan.User.Id, plan.Group.Name, cancellationToken);
        var policy = plan.Group.Policy;
        if (policy.MaxRunningEnvironmentsPerUser is { } maxRunning && active.Mine + 1 > maxRunning)
        {
            throw Limit("maxRunningEnvironmentsPerUser", maxRunning.ToString(System.Globalization.CultureInfo.InvariantCulture), active.Mine.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"You already have {active.Mine} environment(s) running under group '{plan.Group.Name}', its limit per user; stop one first.");
        }

        CheckQuota(plan, "cpuQuota", policy.CpuQuota, active.GroupCpu, plan.CpuRequest, "CPU");
        CheckQuota(plan, "memoryQuota", policy.MemoryQuota, active.GroupMemory, plan.MemoryRequest, "memory");
        if (policy.AcceleratorQuota is { } acceleratorQuota && active.GroupAccelerators + plan.Size.Accelerators > acceleratorQuota)
        {
            throw Limit("acceleratorQuota", acceleratorQuota.ToString(System.Globalization.CultureInfo.InvariantCulture), active.GroupAccelerators.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Group '{plan.Group.Name}' has {active.GroupAccelerators} of its {acceleratorQuota} accelerators in use; this size needs {plan.Size.Accelerators}.");
        }

        CheckStorage(plan, plan.Readings);
        if (policy.MonthlyBudget is { } budget && plan.Readings.Spent is { } spent && spent >= budget)
        {
            throw new ApiProblemException(402, "Group budget exhausted.",
                $"Group '{plan.Group.Name}' has spent {spent:0.00} of its monthly budget of {budget:0.00}; launches resume next month or when an admin raises the budget.",
                new Dictionary<string, object?> { ["limit"] = "monthlyBudget", ["value"] = budget, ["used"] = spent });
        }

        if (active.Starting >= compute.Value.ConcurrentStartLimit)
        {
            throw new ApiProblemException(429, "Too many environments starting.",
                $"{active.Starting} environments are starting on this hub, its limit; try again in a few seconds.", retryAfter: TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Storage from the last scan (the user's home; the group's shared and scratch folders) and the group's spend: read before the lock.</summary>
    private async Task<LimitReadings> ReadAsync(User user, Group group, CancellationToken cancellationToken)
    {
        var home = await db.StorageUsages.AsNoTracking().Where(u => u.Kind == StorageAreaKind.Home && u.Owner == user.Name).Select(u => (long?)u.Bytes).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var homeLimit = await Storage.StorageLimit.HomeOfAsync(db, user.Id, cancellationToken);
        var groupBytes = await db.StorageUsages.AsNoTracking().Where(u => u.Kind != StorageAreaKind.Home && u.Owner == group.Name).SumAsync(u => u.Bytes, cancellationToken);
        var spent = group.Policy.MonthlyBudget is null ? (decimal?)null : await spend.MonthToDateAsync(group.Name, cancellationToken);
        return new LimitReadings(home, homeLimit.Hard, groupBytes, spent);
    }

    /// <summary>Hard storage limits, from the last scan: the user's home, and the group's shared and scratch folders.</summary>
    private static void CheckStorage(LaunchPlan plan, LimitReadings readings)
    {
        if (readings.HomeBytes > readings.HomeLimit)
        {
            throw Limit("homeQuota", Storage.StorageScanner.Size(readings.HomeLimit), Storage.StorageScanner.Size(readings.HomeBytes),
                $"Your home uses {Storage.StorageScanner.Size(readings.HomeBytes)}, over its limit of {Storage.StorageScanner.Size(readings.HomeLimit)}. Delete files you no longer need (SFTP or an environment you already run); launches are allowed again after the next storage scan.");
        }

        var groupLimit = Storage.StorageLimit.OfGroup(plan.Group.Policy.StorageSoftQuota, plan.Group.Policy.StorageQuota);
        if (readings.GroupBytes > groupLimit.Hard)
        {
            throw Limit("storageQuota", Storage.StorageScanner.Size(groupLimit.Hard), Storage.StorageScanner.Size(readings.GroupBytes),
                $"Group '{plan.Group.Name}' folders use {Storage.StorageScanner.Size(readings.GroupBytes)}, over the group's limit of {Storage.StorageScanner.Size(groupLimit.Hard)}; clean up its shared or scratch folders, or ask an admin to raise storageQuota.");
        }
    }

    private static void CheckQuota(LaunchPlan plan, string limit, string? quota, decimal used, decimal asked, string what)
    {
        if (quota is not null && ResourceQuantity.TryParse(quota, out var value) && used + asked > value.Value)
        {
            throw Limit(limit, quota, used.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Group '{plan.Group.Name}' has {used} of its {quota} {what} quota in use by running environments; this size asks for {asked} more. Stop an environment or choose a smaller size.");
        }
    }

    private static ApiProblemException Limit(string limit, string value, string used, string detail) =>
        new(409, "Limit reached.", detail, new Dictionary<string, object?> { ["limit"] = limit, ["value"] = value, ["used"] = used });
}
