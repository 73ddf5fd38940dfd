using System.Net.Mail;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Validation;
using DevPlatform.Api;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

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

    /// <summary>
    /// Creates new users — each joining <paramref name="group"/> when it exists — with their audit events, in one statement:
    /// the JupyterHub API's create, one by one or in bulk. Every spec is validated first (nothing stored on a 400); a name
    /// that exists already is skipped, so the answer lists only the users this call created, in the order given.
    /// </summary>
    /// <returns>Each created user, and the group they joined (null: none).</returns>
    public async Task<List<(User User, string? Joined)>> CreateManyAsync(IReadOnlyList<UserSpec> specs, string? group, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(specs);
        specs = [.. specs.DistinctBy(s => s.Name, StringComparer.Ordinal)]; // a name given twice is created once, with one audit event
        foreach (var spec in specs)
        {
            (await ProblemsAsync(spec, cancellationToken)).ThrowIfAny();
        }

        await Db.Database.OpenConnectionAsync(cancellationToken); // EF's: opened here only if closed, and closed again only then
        try
        {
            await using var command = new NpgsqlCommand(CreateManySql, (NpgsqlConnection)Db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => s.Name).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => s.DisplayName).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => s.Email).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => s.Admin).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => s.Disabled).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = specs.Select(s => PlatformJson.Serialize(s)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = Time.GetUtcNow() });
            command.Parameters.Add(new NpgsqlParameter { Value = actor });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)group ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = PlatformJson.Serialize(new MembershipSpec()) });
            await command.PrepareAsync(cancellationToken);
            // No AfterWriteAsync: it brings SFTP accounts in step, and a user created now has no SSH key, so no account.
            var created = new List<(User, string?)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var spec = specs[(int)reader.GetInt64(1) - 1];
                created.Add((new User
                {
                    Id = reader.GetInt64(0), Name = spec.Name, DisplayName = spec.DisplayName, Email = spec.Email, Admin = spec.Admin, Disabled = spec.Disabled,
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(2), UpdatedAt = reader.GetFieldValue<DateTimeOffset>(2),
                }, reader.GetBoolean(3) ? group : null));
            }

            return created;
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// $1…$6 the specs' columns and audit JSON (arrays in the order given), $7 now, $8 the actor, $9 the group (or null),
    /// $10 a membership's audit JSON. Data-modifying WITH clauses all run, once, in one snapshot.
    /// </summary>
    private const string CreateManySql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::text[])
                WITH ORDINALITY AS i(name, display_name, email, admin, disabled, audit, position)),
        created AS (
            INSERT INTO users (name, display_name, email, admin, disabled, created_at, updated_at)
            SELECT name, display_name, email, admin, disabled, $7, $7 FROM input ORDER BY position
            ON CONFLICT (name) DO NOTHING
            RETURNING id, name, created_at),
        joined AS (
            INSERT INTO memberships (group_id, user_id, role, created_at)
            SELECT g.id, c.id, 'Member', $7 FROM created c JOIN groups g ON g.name = $9
            RETURNING user_id),
        audited AS (
            INSERT INTO audit_events (at, actor, action, resource_type, resource_name, after)
            SELECT $7, $8, 'create', 'user', c.name, i.audit::jsonb FROM created c JOIN input i ON i.name = c.name
            UNION ALL
            SELECT $7, $8, 'create', 'membership', $9 || '/' || c.name, $10::jsonb FROM joined j JOIN created c ON c.id = j.user_id)
        SELECT c.id, i.position, c.created_at, EXISTS (SELECT 1 FROM joined j WHERE j.user_id = c.id)
        FROM created c JOIN input i ON i.name = c.name
        ORDER BY i.position
        """;
}
