using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Resources;

/// <summary>
/// Create, replace, upsert and delete for one kind of named resource: validate everything first (nothing
/// stored on a 400), write the entity and its audit event in one SaveChanges, and skip the write
/// entirely when the spec did not change (so applying the catalog file twice changes nothing).
/// </summary>
internal abstract class NamedResourceStore<TEntity, TSpec>(PlatformDbContext db, AuditLog audit, TimeProvider time)
    where TEntity : class, INamedEntity
    where TSpec : INamedSpec
{
    /// <summary>The word for the resource in messages and audit records: "user", "pool".</summary>
    public abstract string ResourceType { get; }

    protected PlatformDbContext Db => db;

    protected TimeProvider Time => time;

    /// <summary>The entities, with whatever <see cref="ToSpec"/> needs included.</summary>
    protected abstract IQueryable<TEntity> Query { get; }

    protected abstract Task ValidateAsync(TSpec spec, ValidationErrors errors, CancellationToken cancellationToken);

    protected abstract TEntity NewEntity(TSpec spec);

    /// <summary>Copies the spec onto the entity (resolving references, which validation has checked).</summary>
    protected abstract Task ApplyAsync(TEntity entity, TSpec spec, CancellationToken cancellationToken);

    public abstract TSpec ToSpec(TEntity entity);

    /// <summary>Throws <see cref="ResourceConflictException"/> when something still uses the resource.</summary>
    protected virtual Task CheckNotInUseAsync(TEntity entity, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After a create, change or delete is stored: brings what lives outside the database in step (e.g. SFTP accounts).</summary>
    protected virtual Task AfterWriteAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<TEntity> GetAsync(string name, CancellationToken cancellationToken) =>
        await Query.FirstOrDefaultAsync(e => e.Name == name, cancellationToken) ?? throw new ResourceNotFoundException(ResourceType, name);

    /// <summary>The entity to show, not to change: untracked, so reading it costs no change-tracking snapshot.</summary>
    public async Task<TEntity> ReadAsync(string name, CancellationToken cancellationToken) =>
        await Query.AsNoTracking().FirstOrDefaultAsync(e => e.Name == name, cancellationToken) ?? throw new ResourceNotFoundException(ResourceType, name);

    public async Task<(TEntity Entity, WriteOutcome Outcome)> WriteAsync(
        WriteMode mode, string? pathName, TSpec spec, string actor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (pathName is not null && spec.Name != pathName)
        {
            errors.Add("name", $"'{spec.Name}' differs from the name in the URL ('{pathName}'); a {ResourceType}'s name cannot be changed.");
        }

        await CheckAsync(spec, errors, cancellationToken);
        errors.ThrowIfAny();

        var existing = await Query.FirstOrDefaultAsync(e => e.Name == spec.Name, cancellationToken);
        if (existing is null && mode == WriteMode.Replace)
        {
            throw new ResourceNotFoundException(ResourceType, spec.Name);
        }

        if (existing is not null && mode == WriteMode.Create)
        {
            throw new ResourceConflictException($"A {ResourceType} named '{spec.Name}' already exists; PUT to /{ResourceType}s/{spec.Name} to change it.");
        }

        var now = time.GetUtcNow();
        if (existing is null)
        {
            var entity = NewEntity(spec);
            entity.CreatedAt = entity.UpdatedAt = now;
            await ApplyAsync(entity, spec, cancellationToken);
            db.Add(entity);
            audit.Record(actor, "create", ResourceType, spec.Name, null, ToSpec(entity));
            await db.SaveChangesAsync(cancellationToken);
            await AfterWriteAsync(spec.Name, cancellationToken);
            return (entity, WriteOutcome.Created);
        }

        var before = ToSpec(existing);
        await ApplyAsync(existing, spec, cancellationToken);
        var after = ToSpec(existing);
        if (PlatformJson.Serialize(before) == PlatformJson.Serialize(after))
        {
            return (existing, WriteOutcome.Unchanged);
        }

        existing.UpdatedAt = now;
        audit.Record(actor, "update", ResourceType, spec.Name, before, after);
        await db.SaveChangesAsync(cancellationToken);
        await AfterWriteAsync(spec.Name, cancellationToken);
        return (existing, WriteOutcome.Updated);
    }

    /// <summary>What is wrong with the spec (its name and the resource's own rules), without writing: for callers that check a batch before storing any of it.</summary>
    public async Task<ValidationErrors> ProblemsAsync(TSpec spec, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        await CheckAsync(spec, errors, cancellationToken);
        return errors;
    }

    private async Task CheckAsync(TSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        errors.CheckName("name", spec.Name);
        await ValidateAsync(spec, errors, cancellationToken);
    }

    public async Task DeleteAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var entity = await GetAsync(name, cancellationToken);
        await CheckNotInUseAsync(entity, cancellationToken);
        await BeforeDeleteAsync(name, actor, cancellationToken);
        audit.Record(actor, "delete", ResourceType, name, ToSpec(entity), null);
        db.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        await AfterWriteAsync(name, cancellationToken);
    }

    /// <summary>
    /// Runs before a delete is stored: what lives outside the database goes first, so a failure there leaves the resource
    /// (and nothing orphaned for a namesake to inherit); its audit records are saved with the delete.
    /// </summary>
    protected virtual Task BeforeDeleteAsync(string name, string actor, CancellationToken cancellationToken) => Task.CompletedTask;
}
