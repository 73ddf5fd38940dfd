using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

/// <summary>Reads and replaces a group's policy; a replacement that changes nothing writes nothing.</summary>
internal sealed class GroupPolicyStore(PlatformDbContext db, GroupStore groups, AuditLog audit, TimeProvider time)
{
    public async Task<(GroupPolicySpec Policy, bool Changed)> ReplaceAsync(string groupName, GroupPolicySpec spec, string actor, CancellationToken cancellationToken)
    {
        var group = await groups.GetAsync(groupName, cancellationToken);
        var allowed = spec.AllowedProfiles ?? [];
        var errors = new ValidationErrors();
        var known = await db.Profiles.Where(p => allowed.Contains(p.Name)).Select(p => p.Name).ToListAsync(cancellationToken);
        for (var i = 0; i < allowed.Count; i++)
        {
            if (!known.Contains(allowed[i]))
            {
                errors.Add($"allowedProfiles[{i}]", $"no profile named '{NameRules.Shorten(allowed[i])}' exists; create it first or remove it from the list.");
            }
        }

        if (allowed.Distinct(StringComparer.Ordinal).Count() != allowed.Count)
        {
            errors.Add("allowedProfiles", "lists a profile more than once.");
        }

        if (spec.MaxRunningEnvironmentsPerUser is < 1)
        {
            errors.Add("maxRunningEnvironmentsPerUser", "must be at least 1 (leave it out for no limit).");
        }

        if (spec.AcceleratorQuota is < 0)
        {
            errors.Add("acceleratorQuota", "must be 0 or more (0 allows no accelerators; leave it out for no limit).");
        }

        if (spec.MonthlyBudget is < 0)
        {
            errors.Add("monthlyBudget", "must be 0 or more (leave it out for no budget limit).");
        }

        if (spec.StopAtBudget && spec.MonthlyBudget is null)
        {
            errors.Add("stopAtBudget", "needs a monthlyBudget to stop at; set one, or leave stopAtBudget out.");
        }

        errors.CheckQuantity("cpuQuota", spec.CpuQuota, "64", required: false);
        errors.CheckQuantity("memoryQuota", spec.MemoryQuota, "512Gi", required: false);
        errors.CheckQuantity("storageQuota", spec.StorageQuota, "1Ti", required: false);
        errors.CheckQuantity("storageSoftQuota", spec.StorageSoftQuota, "800Gi", required: false);
        errors.CheckQuantity("homeQuota", spec.HomeQuota, "50Gi", required: false);
        errors.CheckQuantity("homeSoftQuota", spec.HomeSoftQuota, "40Gi", required: false);
        CheckSoftBelowHard(errors, "storageSoftQuota", spec.StorageSoftQuota, "storageQuota", spec.StorageQuota);
        CheckSoftBelowHard(errors, "homeSoftQuota", spec.HomeSoftQuota, "homeQuota", spec.HomeQuota);
        var folders = spec.SharedFolders ?? [];
        for (var i = 0; i < folders.Count; i++)
        {
            errors.CheckName($"sharedFolders[{i}]", folders[i]);
        }

        if (folders.Distinct(StringComparer.Ordinal).Count() != folders.Count)
        {
            errors.Add("sharedFolders", "lists a folder more than once.");
        }

        if (spec.ScratchRetentionDays is < 1 or > 3650)
        {
            errors.Add("scratchRetentionDays", "must be between 1 and 3650 days (leave it out for no scratch folder).");
        }
        errors.ThrowIfAny();

        var before = GroupPolicySpec.From(group.Policy);
        var after = spec with { AllowedProfiles = allowed.ToList(), MonthlyBudget = Decimals.Normalize(spec.MonthlyBudget), SharedFolders = folders.ToList() };
        if (PlatformJson.Serialize(before) == PlatformJson.Serialize(after))
        {
            return (before, false);
        }

        group.Policy = new GroupPolicy
        {
            AllowedProfiles = allowed.ToList(),
            MaxRunningEnvironmentsPerUser = spec.MaxRunningEnvironmentsPerUser,
            CpuQuota = spec.CpuQuota,
            MemoryQuota = spec.MemoryQuota,
            AcceleratorQuota = spec.AcceleratorQuota,
            StorageQuota = spec.StorageQuota,
            MonthlyBudget = spec.MonthlyBudget,
            StopAtBudget = spec.StopAtBudget,
            StorageSoftQuota = spec.StorageSoftQuota,
            HomeQuota = spec.HomeQuota,
            HomeSoftQuota = spec.HomeSoftQuota,
            SharedFolders = folders.ToList(),
            ScratchRetentionDays = spec.ScratchRetentionDays,
            SharedFoldersReadableByAll = spec.SharedFoldersReadableByAll,
        };
        group.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, "update", "group-policy", groupName, before, after);
        await db.SaveChangesAsync(cancellationToken);
        return (after, true);
    }

    private static void CheckSoftBelowHard(ValidationErrors errors, string soft, string? softValue, string hard, string? hardValue)
    {
        if (ResourceQuantity.TryParse(softValue, out var s) && ResourceQuantity.TryParse(hardValue, out var h) && s.Value > h.Value)
        {
            errors.Add(soft, $"{softValue} is above {hard} {hardValue}; the warning must come before the limit.");
        }
    }
}
