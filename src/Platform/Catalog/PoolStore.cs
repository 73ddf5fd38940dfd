using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Strategies;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Catalog;

internal sealed class PoolStore(PlatformDbContext db, AuditLog audit, TimeProvider time, NamedStrategies<IAcceleratorKind> kinds, Costs.PriceList prices)
    : NamedResourceStore<ComputePool, PoolSpec>(db, audit, time)
{
    public override string ResourceType => "pool";

    protected override IQueryable<ComputePool> Query => Db.Pools;

    protected override Task ValidateAsync(PoolSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        errors.CheckText("displayName", spec.DisplayName, 200);
        var kind = kinds.Find(spec.AcceleratorKind);
        if (kind is null)
        {
            errors.Add("acceleratorKind", kinds.Unknown(spec.AcceleratorKind, "accelerator kind") + ".");
        }

        var configuration = spec.Configuration ?? EmptyObject;
        if (configuration.ValueKind != JsonValueKind.Object)
        {
            errors.Add("configuration", $"must be an object (of settings for the accelerator kind), not {configuration.ValueKind.ToString().ToLowerInvariant()}.");
        }
        else if (kind is not null)
        {
            foreach (var error in kind.ValidatePoolConfiguration(configuration))
            {
                errors.Add(error.Path.Length == 0 ? "configuration" : $"configuration.{error.Path}", error.Message);
            }
        }

        if (spec.OnDemandHourlyPrice < 0)
        {
            errors.Add("onDemandHourlyPrice", "must be 0 or more (the hourly price of one node of this pool).");
        }

        if (spec.SpotHourlyPrice is < 0)
        {
            errors.Add("spotHourlyPrice", "must be 0 or more.");
        }

        if (spec.InstanceType is { } instanceType && prices.Find(instanceType) is null)
        {
            var known = prices.InstanceTypes.Keys.Order(StringComparer.Ordinal).ToList();
            errors.Add("instanceType", known.Count == 0
                ? $"'{NameRules.Shorten(instanceType)}' cannot be priced: the price file {prices.Path} is missing or lists no instance types; add it there, or leave instanceType out to price whole nodes at this pool's own prices."
                : $"'{NameRules.Shorten(instanceType)}' is not in the price file {prices.Path}; add it there, or use one of: {string.Join(", ", known.Take(30))}{(known.Count > 30 ? ", …" : "")}.");
        }

        if (spec.CapacityType == CapacityType.Spot && spec.SpotHourlyPrice is null && prices.Find(spec.InstanceType)?.Spot is null)
        {
            errors.Add("spotHourlyPrice", "is required when capacityType is 'spot' (unless the price file gives the instance type's spot price), so costs can be computed.");
        }

        return Task.CompletedTask;
    }

    protected override ComputePool NewEntity(PoolSpec spec) => new() { Name = spec.Name, AcceleratorKind = spec.AcceleratorKind };

    protected override Task ApplyAsync(ComputePool entity, PoolSpec spec, CancellationToken cancellationToken)
    {
        entity.DisplayName = spec.DisplayName;
        entity.AcceleratorKind = spec.AcceleratorKind;
        entity.Configuration = CanonicalJson.Normalize(spec.Configuration ?? EmptyObject).GetRawText();
        entity.OnDemandHourlyPrice = spec.OnDemandHourlyPrice;
        entity.SpotHourlyPrice = spec.SpotHourlyPrice;
        entity.CapacityType = spec.CapacityType;
        entity.InstanceType = spec.InstanceType;
        return Task.CompletedTask;
    }

    public override PoolSpec ToSpec(ComputePool entity) => new(
        entity.Name, entity.AcceleratorKind, Decimals.Normalize(entity.OnDemandHourlyPrice), entity.DisplayName,
        CanonicalJson.Parse(entity.Configuration), Decimals.Normalize(entity.SpotHourlyPrice), entity.CapacityType, entity.InstanceType);

    protected override async Task CheckNotInUseAsync(ComputePool entity, CancellationToken cancellationToken)
    {
        var users = await Db.Profiles.Where(p => p.PoolId == entity.Id).Select(p => p.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            throw new ResourceConflictException(
                $"Pool '{entity.Name}' is used by profile(s) {string.Join(", ", users.Select(u => $"'{u}'"))}; move them to another pool first.");
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
