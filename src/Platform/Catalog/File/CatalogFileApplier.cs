using System.Text.Json;
using DevPlatform.Api;
using DevPlatform.Persistence;
using DevPlatform.Resources;
using DevPlatform.Tenancy;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.Core;

namespace DevPlatform.Catalog.File;

/// <summary>
/// Applies a catalog file idempotently, all or nothing: pools, then profiles, then groups and their
/// policies, each through the same store and rules as the API, in one transaction. Entries not in the
/// file are left alone. An unchanged entry writes nothing. With <see cref="CatalogApplyMode.ChangedEntries"/> (start-up),
/// an entry the file has not changed since it was last applied is skipped, so console and API edits to it stay.
/// </summary>
internal sealed class CatalogFileApplier(PlatformDbContext db, PoolStore pools, ProfileStore profiles, GroupStore groups, GroupPolicyStore policies, TimeProvider time)
{
    public async Task<IReadOnlyList<AppliedChange>> ApplyAsync(string path, string actor, CatalogApplyMode mode, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new CatalogFileException([$"{path}: no such file; check Catalog__File or the command's argument."]);
        }

        using var reader = new StreamReader(path);
        return await ApplyAsync(reader, path, actor, mode, cancellationToken);
    }

    public async Task<IReadOnlyList<AppliedChange>> ApplyAsync(TextReader reader, string fileName, string actor, CatalogApplyMode mode, CancellationToken cancellationToken)
    {
        var (document, marks) = Read(reader, fileName);
        var problems = new List<string>();
        var changes = new List<AppliedChange>();
        var where = (string entryPath, string field, string message) =>
        {
            var full = field is "" or "body" ? entryPath : $"{entryPath}.{field}";
            problems.Add($"{fileName}:{Locate(marks, full)}: {full}: {message}");
        };

        var run = new Run(Path.GetFileName(fileName), mode, changes, where, await db.CatalogFileEntries.ToDictionaryAsync(e => (e.ResourceType, e.Name), cancellationToken));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ApplyAllAsync(document.Pools, "pools", (spec, ct) => pools.WriteAsync(WriteMode.Upsert, null, spec, actor, ct), "pool", run, cancellationToken);
        await ApplyAllAsync(document.Profiles, "profiles", (spec, ct) => profiles.WriteAsync(WriteMode.Upsert, null, spec, actor, ct), "profile", run, cancellationToken);
        await ApplyAllAsync(document.Groups, "groups", async (entry, ct) =>
        {
            var (group, outcome) = await groups.WriteAsync(WriteMode.Upsert, null, entry.ToSpec(), actor, ct);
            if (entry.Policy is not null && (await policies.ReplaceAsync(group.Name, entry.Policy, actor, ct)).Changed && outcome == WriteOutcome.Unchanged)
            {
                outcome = WriteOutcome.Updated;
            }

            return (group, outcome);
        }, "group", run, cancellationToken, policyPrefix: true);

        if (problems.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            throw new CatalogFileException(problems);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changes;
    }

    private sealed record Run(
        string File, CatalogApplyMode Mode, List<AppliedChange> Changes, Action<string, string, string> Where,
        Dictionary<(string ResourceType, string Name), CatalogFileEntry> Applied);

    private async Task ApplyAllAsync<TSpec, TEntity>(
        IReadOnlyList<TSpec>? entries, string section, Func<TSpec, CancellationToken, Task<(TEntity, WriteOutcome)>> write, string resourceType,
        Run run, CancellationToken cancellationToken, bool policyPrefix = false)
    {
        var (changes, where) = (run.Changes, run.Where);
        var list = entries ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var entryPath = $"{section}[{i}]";
            var name = NameOf(list[i]);
            var fingerprint = Fingerprint(list[i]);
            var applied = run.Applied.GetValueOrDefault((resourceType, name));
            if (run.Mode == CatalogApplyMode.ChangedEntries && applied?.Fingerprint == fingerprint)
            {
                changes.Add(new AppliedChange(resourceType, name, WriteOutcome.Unchanged));
                continue;
            }

            try
            {
                var (_, outcome) = await write(list[i], cancellationToken);
                changes.Add(new AppliedChange(resourceType, name, outcome));
                if (applied is null)
                {
                    applied = new CatalogFileEntry { ResourceType = resourceType, Name = name, File = run.File, Fingerprint = fingerprint };
                    db.CatalogFileEntries.Add(applied);
                    run.Applied[(resourceType, name)] = applied;
                }

                (applied.File, applied.Fingerprint, applied.AppliedAt) = (run.File, fingerprint, time.GetUtcNow());
            }
            catch (ValidationFailedException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    var inPolicy = policyPrefix && !IsGroupField(field);
                    foreach (var message in messages)
                    {
                        where(entryPath, inPolicy ? $"policy.{field}" : field, message);
                    }
                }
            }
            catch (Exception e) when (e is ResourceNotFoundException or ResourceConflictException)
            {
                where(entryPath, string.Empty, e.Message);
            }
        }
    }

    /// <summary>What the file said about one entry, independent of key order and formatting.</summary>
    private static string Fingerprint<TSpec>(TSpec spec) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(CanonicalJson.Normalize(JsonSerializer.SerializeToElement(spec, PlatformJson.Options)))));

    private static bool IsGroupField(string field) => field is "name" or "displayName" or "description";

    private static string NameOf<TSpec>(TSpec spec) => spec switch
    {
        INamedSpec named => named.Name,
        CatalogGroup group => group.Name,
        _ => "?",
    };

    private static (CatalogDocument Document, Dictionary<string, Mark> Marks) Read(TextReader reader, string fileName)
    {
        Dictionary<string, Mark> marks;
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            (root, marks) = YamlToJson.Convert(reader);
        }
        catch (YamlException e)
        {
            throw new CatalogFileException([$"{fileName}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}"]);
        }

        try
        {
            var document = root is null ? new CatalogDocument() : root.Deserialize<CatalogDocument>(PlatformJson.Options) ?? new CatalogDocument();
            return (document, marks);
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new CatalogFileException([$"{fileName}:{Locate(marks, path)}: {(path.Length == 0 ? "(top level)" : path)}: {JsonErrorText.Explain(e)}"]);
        }
    }

    /// <summary>"line:column" of the path, or of its nearest ancestor present in the file.</summary>
    private static string Locate(Dictionary<string, Mark> marks, string path)
    {
        for (var probe = path; ; probe = Parent(probe))
        {
            if (marks.TryGetValue(probe, out var mark))
            {
                return $"{mark.Line}:{mark.Column}";
            }

            if (probe.Length == 0)
            {
                return "1:1";
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }
}
