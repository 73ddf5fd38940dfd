using System.Text.Json;
using System.Text.RegularExpressions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Validation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Services;

/// <summary>
/// Defines, changes and deletes shared services (checked, audited with secret values left out). Secrets are encrypted
/// with the platform's data-protection keys; a change without <c>secrets</c> keeps the stored ones.
/// </summary>
internal sealed partial class ServiceStore(PlatformDbContext db, AuditLog audit, TimeProvider time, IDataProtectionProvider protection, Microsoft.Extensions.Caching.Memory.IMemoryCache cache)
{
    private readonly IDataProtector protector = protection.CreateProtector("devplatform.service-secrets.v1");

    public static ServiceSpec SpecOf(SharedService service) => PlatformJson.Deserialize<ServiceSpec>(service.Spec);

    /// <summary>The spec as admins read it: secret names with their values hidden.</summary>
    public static ServiceSpec Shown(SharedService service, IReadOnlyDictionary<string, string> secrets) =>
        SpecOf(service) with { Secrets = secrets.Count == 0 ? null : secrets.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, _ => "(hidden)", StringComparer.Ordinal) };

    public IReadOnlyDictionary<string, string> SecretsOf(SharedService service) => service.Secrets is null
        ? new Dictionary<string, string>()
        : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(service.Secrets))!;

    /// <summary>Deletes the definition (the caller stopped its workload first); audited.</summary>
    public async Task DeleteAsync(SharedService service, string actor, CancellationToken cancellationToken)
    {
        db.SharedServices.Remove(service);
        audit.Record(actor, "delete", "service", service.Name, SpecOf(service), null);
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(ServiceProxy.CacheKey(service.Name));
    }

    public async Task<SharedService> GetAsync(string name, CancellationToken cancellationToken) =>
        await db.SharedServices.FirstOrDefaultAsync(s => s.Name == name, cancellationToken) ?? throw new ResourceNotFoundException("service", name);

    /// <summary>The service as stored now (the supervisor changes it in a context of its own).</summary>
    public async Task<SharedService> ReadAsync(string name, CancellationToken cancellationToken) =>
        await db.SharedServices.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken) ?? throw new ResourceNotFoundException("service", name);

    public async Task<(SharedService Service, WriteOutcome Outcome)> WriteAsync(WriteMode mode, string? pathName, ServiceSpec spec, string actor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (pathName is not null && spec.Name != pathName)
        {
            errors.Add("name", $"'{spec.Name}' differs from the name in the URL ('{pathName}'); a service's name cannot be changed.");
        }

        await ValidateAsync(spec, errors, cancellationToken);
        errors.ThrowIfAny();
        var existing = await db.SharedServices.FirstOrDefaultAsync(s => s.Name == spec.Name, cancellationToken);
        if (existing is null && mode == WriteMode.Replace)
        {
            throw new ResourceNotFoundException("service", spec.Name);
        }

        if (existing is not null && mode == WriteMode.Create)
        {
            throw new ResourceConflictException($"A service named '{spec.Name}' already exists; PUT to /services/{spec.Name} to change it.");
        }

        var now = time.GetUtcNow();
        var stored = PlatformJson.Serialize(spec with { Secrets = null });
        var secrets = ProtectedSecrets(existing, spec.Secrets);
        var shown = spec with { Secrets = spec.Secrets?.ToDictionary(s => s.Key, _ => "(set)", StringComparer.Ordinal) };
        if (existing is null)
        {
            existing = new SharedService { Id = Guid.NewGuid(), Name = spec.Name, Spec = stored, Secrets = secrets, State = ServiceState.Stopped, CreatedAt = now, UpdatedAt = now };
            db.SharedServices.Add(existing);
            audit.Record(actor, "create", "service", spec.Name, null, shown);
            await db.SaveChangesAsync(cancellationToken);
            return (existing, WriteOutcome.Created);
        }

        if (existing.Spec == stored && existing.Secrets == secrets)
        {
            return (existing, WriteOutcome.Unchanged);
        }

        audit.Record(actor, "update", "service", spec.Name, PlatformJson.Deserialize<ServiceSpec>(existing.Spec), shown);
        existing.Spec = stored;
        existing.Secrets = secrets;
        existing.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(ServiceProxy.CacheKey(spec.Name));
        return (existing, WriteOutcome.Updated);
    }

    /// <summary>
    /// The stored secrets after a write: the given ones (or, when none are given, the stored ones) plus the service's
    /// hub token, made once and never replaced; unchanged values keep their stored ciphertext, so writing the same
    /// definition changes nothing.
    /// </summary>
    private string ProtectedSecrets(SharedService? existing, IReadOnlyDictionary<string, string>? given)
    {
        var previous = existing is null ? new Dictionary<string, string>() : SecretsOf(existing);
        if (given is null && existing?.Secrets is not null)
        {
            return existing.Secrets;
        }

        var values = new Dictionary<string, string>(given ?? previous, StringComparer.Ordinal)
        {
            [HubTokenVariable] = previous.GetValueOrDefault(HubTokenVariable) ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        };
        return existing?.Secrets is not null && values.Count == previous.Count && values.All(v => previous.GetValueOrDefault(v.Key) == v.Value)
            ? existing.Secrets
            : protector.Protect(JsonSerializer.Serialize(values));
    }

    /// <summary>The service's hub API token, which is also its OAuth client secret (as JupyterHub gives services).</summary>
    public const string HubTokenVariable = "JUPYTERHUB_API_TOKEN";

    private async Task ValidateAsync(ServiceSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        errors.CheckName("name", spec.Name);
        if (string.IsNullOrWhiteSpace(spec.Image) || !ImageReference.IsValid(spec.Image))
        {
            errors.Add("image", $"'{NameRules.Shorten(spec.Image ?? "")}' is not an OCI image reference such as 'ghcr.io/mlflow/mlflow:v2.17.0'.");
        }

        if (spec.Command is null || spec.Command.Count == 0 || spec.Command.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("command", "give the command line as a list, e.g. [\"mlflow\", \"server\", \"--host\", \"{ip}\", \"--port\", \"{port}\"].");
        }

        if (spec.Port is < 1 or > 65535)
        {
            errors.Add("port", "must be a TCP port between 1 and 65535.");
        }

        errors.CheckQuantity("cpuRequest", spec.CpuRequest, "250m", required: true);
        errors.CheckQuantity("cpuLimit", spec.CpuLimit, "1", required: true);
        errors.CheckQuantity("memoryRequest", spec.MemoryRequest, "512Mi", required: true);
        errors.CheckQuantity("memoryLimit", spec.MemoryLimit, "1Gi", required: true);
        errors.CheckQuantity("volumeSize", spec.VolumeSize, "10Gi", required: false);
        if (!spec.DataPath.StartsWith('/'))
        {
            errors.Add("dataPath", "must be an absolute path in the container, e.g. /data.");
        }

        if (!await db.Pools.AnyAsync(p => p.Name == spec.Pool, cancellationToken))
        {
            errors.Add("pool", $"no pool named '{NameRules.Shorten(spec.Pool ?? "")}' exists.");
        }

        var groups = spec.AllowedGroups ?? [];
        var known = await db.Groups.Where(g => groups.Contains(g.Name)).Select(g => g.Name).ToListAsync(cancellationToken);
        for (var i = 0; i < groups.Count; i++)
        {
            if (!known.Contains(groups[i]))
            {
                errors.Add($"allowedGroups[{i}]", $"no group named '{NameRules.Shorten(groups[i])}' exists.");
            }
        }

        foreach (var (field, names) in new[] { ("environment", spec.Environment), ("secrets", spec.Secrets), ("variables", spec.Variables) })
        {
            foreach (var name in (names ?? new Dictionary<string, string>()).Keys.Where(n => !VariableName().IsMatch(n)))
            {
                errors.Add($"{field}.{name}", "is not a variable name (letters, digits and _, not starting with a digit).");
            }

            foreach (var name in (names ?? new Dictionary<string, string>()).Keys.Where(n => field != "variables" && n.StartsWith("JUPYTERHUB_", StringComparison.Ordinal)))
            {
                errors.Add($"{field}.{name}", "is set by the platform (the hub protocol's variables); leave it out.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex VariableName();
}
