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
        errors.ThrowIfAny();

        var before = GroupPolicySpec.From(group.Policy);
        var after = spec with { AllowedProfiles = allowed.ToList(), MonthlyBudget = Decimals.Normalize(spec.MonthlyBudget) };
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
        };
        group.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, "update", "group-policy", groupName, before, after);
        await db.SaveChangesAsync(cancellationToken);
        return (after, true);
    }
}
