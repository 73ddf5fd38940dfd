using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Strategies;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal sealed class ProfileStore(PlatformDbContext db, AuditLog audit, TimeProvider time, NamedStrategies<IAcceleratorKind> kinds)
    : NamedResourceStore<Profile, ProfileSpec>(db, audit, time)
{
    public override string ResourceType => "profile";

    protected override IQueryable<Profile> Query => Db.Profiles.Include(p => p.Pool);

    protected override async Task ValidateAsync(ProfileSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        ProfileRules.Check(spec, errors);
        if (string.IsNullOrEmpty(spec.Pool))
        {
            errors.Add("pool", "is required: the name of the compute pool the profile runs on.");
        }
        else if (await Db.Pools.AsNoTracking().FirstOrDefaultAsync(p => p.Name == spec.Pool, cancellationToken) is not { } pool)
        {
            errors.Add("pool", $"no pool named '{NameRules.Shorten(spec.Pool)}' exists; create it first (POST /api/pools) or name an existing one.");
        }
        else if (!errors.Any)
        {
            CheckSizesFitPool(spec, pool, errors);
        }
    }

    /// <summary>The pool's accelerator kind says whether each size makes sense on it (no GPUs on a cpu pool, MIG slices that fit a node, …).</summary>
    private void CheckSizesFitPool(ProfileSpec spec, ComputePool pool, ValidationErrors errors)
    {
        if (kinds.Find(pool.AcceleratorKind) is not { } kind)
        {
            return; // the pool's kind is checked at start-up
        }

        using var configuration = JsonDocument.Parse(pool.Configuration);
        for (var i = 0; i < spec.Sizes.Count; i++)
        {
            foreach (var error in kind.ValidateRequest(configuration.RootElement, spec.Sizes[i].Resources()))
            {
                errors.Add($"sizes[{i}].{error.Path}", $"{error.Message} (pool '{pool.Name}' is {kind.DisplayName})");
            }
        }
    }

    protected override Profile NewEntity(ProfileSpec spec) => new() { Name = spec.Name };

    protected override async Task ApplyAsync(Profile entity, ProfileSpec spec, CancellationToken cancellationToken)
    {
        entity.DisplayName = spec.DisplayName;
        entity.Description = spec.Description;
        entity.Images = (spec.Images ?? []).ToList();
        entity.AllowCustomImage = spec.AllowCustomImage;
        entity.CustomImagePattern = spec.CustomImagePattern;
        entity.Bundles = (spec.Bundles ?? []).ToList();
        entity.Sizes = spec.Sizes.ToList();
        entity.StartTimeoutSeconds = spec.StartTimeoutSeconds;
        entity.Kind = spec.Kind;
        entity.Command = (spec.Command ?? []).ToList();
        entity.IdentityVariables = (spec.IdentityVariables ?? []).ToList();
        entity.IdleTimeoutMinutes = spec.IdleTimeoutMinutes;
        entity.MaxAgeHours = spec.MaxAgeHours;
        entity.IdleCpuFloor = spec.IdleCpuFloor;
        if (entity.Pool?.Name != spec.Pool)
        {
            entity.Pool = await Db.Pools.SingleAsync(p => p.Name == spec.Pool, cancellationToken);
        }
    }

    public override ProfileSpec ToSpec(Profile entity) => new(
        entity.Name, entity.Pool.Name, entity.Sizes, entity.DisplayName, entity.Description, entity.Images,
        entity.AllowCustomImage, entity.CustomImagePattern, entity.Bundles, entity.StartTimeoutSeconds, entity.Kind, entity.Command, entity.IdentityVariables,
        entity.IdleTimeoutMinutes, entity.MaxAgeHours, Api.Decimals.Normalize(entity.IdleCpuFloor));

    protected override async Task CheckNotInUseAsync(Profile entity, CancellationToken cancellationToken)
    {
        var groups = await Db.Groups.Where(g => g.Policy.AllowedProfiles.Contains(entity.Name)).Select(g => g.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        if (groups.Count > 0)
        {
            throw new ResourceConflictException(
                $"Profile '{entity.Name}' is allowed by the policy of group(s) {string.Join(", ", groups.Select(g => $"'{g}'"))}; remove it from their allowedProfiles first.");
        }
    }
}
