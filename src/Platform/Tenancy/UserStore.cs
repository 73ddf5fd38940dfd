using System.Net.Mail;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Tenancy;

internal sealed class UserStore(PlatformDbContext db, AuditLog audit, TimeProvider time, Access.SftpAccounts sftp, Storage.Backups.RetiredUsers retired)
    : NamedResourceStore<User, UserSpec>(db, audit, time)
{
    public override string ResourceType => "user";

    protected override IQueryable<User> Query => Db.Users.Include(u => u.Memberships).ThenInclude(m => m.Group);

    protected override Task ValidateAsync(UserSpec spec, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (spec.Name?.StartsWith("svc--", StringComparison.Ordinal) == true)
        {
            errors.Add("name", "names starting with 'svc--' are reserved for shared services' data; choose another.");
        }

        errors.CheckText("displayName", spec.DisplayName, 200);
        if (spec.Email is not null && (spec.Email.Length > 254 || !MailAddress.TryCreate(spec.Email, out var parsed) || parsed.Address != spec.Email))
        {
            errors.Add("email", $"'{NameRules.Shorten(spec.Email)}' is not an e-mail address such as 'alice@example.org'.");
        }

        return Task.CompletedTask;
    }

    protected override User NewEntity(UserSpec spec) => new() { Name = spec.Name };

    protected override Task ApplyAsync(User entity, UserSpec spec, CancellationToken cancellationToken)
    {
        entity.DisplayName = spec.DisplayName;
        entity.Email = spec.Email;
        entity.Admin = spec.Admin;
        entity.Disabled = spec.Disabled;
        return Task.CompletedTask;
    }

    /// <summary>A disabled or deleted user loses their SFTP account at once (a re-enabled one gets it back).</summary>
    protected override Task AfterWriteAsync(string name, CancellationToken cancellationToken) => sftp.SyncUserAsync(name, cancellationToken);

    /// <summary>A deleted user's home and backups are retired, so a new account of the same name inherits nothing.</summary>
    protected override Task BeforeDeleteAsync(string name, string actor, CancellationToken cancellationToken) => retired.RetireAsync(name, actor, cancellationToken);

    public override UserSpec ToSpec(User entity) => new(entity.Name, entity.DisplayName, entity.Email, entity.Admin, entity.Disabled);
}
