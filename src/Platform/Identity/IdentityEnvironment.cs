using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Identity;

/// <summary>
/// The variables a sign-in leaves for environments (GITHUB_TOKEN, GITHUB_USER, GITHUB_EMAIL), kept encrypted on
/// the user's identity link. A profile opts in per variable; the stored environment spec only carries a
/// placeholder, and the secret is filled in memory just before the backend starts the environment.
/// </summary>
internal sealed class IdentityEnvironment(IDataProtectionProvider protection, IServiceScopeFactory scopes)
{
    public static readonly IReadOnlyList<string> Known = ["GITHUB_TOKEN", "GITHUB_USER", "GITHUB_EMAIL"];

    private readonly IDataProtector protector = protection.CreateProtector("devplatform.identity-environment.v1");

    public static string Placeholder(string name) => $"{{identity:{name}}}";

    public string? Protect(IReadOnlyDictionary<string, string> variables) =>
        variables.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(variables));

    /// <summary>Replaces identity placeholders with the user's values; a variable the user has no value for is left out.</summary>
    public async Task<EnvironmentSpec> FillAsync(EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var wanted = Known.Where(name => spec.Environment.GetValueOrDefault(name) == Placeholder(name)).ToList();
        if (wanted.Count == 0)
        {
            return spec;
        }

        var values = await ValuesAsync(spec.User, cancellationToken);
        var environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            if (values.TryGetValue(name, out var value))
            {
                environment[name] = value;
            }
            else
            {
                environment.Remove(name);
            }
        }

        return spec with { Environment = environment };
    }

    private async Task<Dictionary<string, string>> ValuesAsync(string user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        var stored = await db.UserIdentities
            .Where(i => i.ProtectedEnvironment != null && db.Users.Any(u => u.Id == i.UserId && u.Name == user))
            .OrderBy(i => i.LastLoginAt).Select(i => i.ProtectedEnvironment!).ToListAsync(cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var blob in stored)
        {
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(blob)) ?? [])
            {
                values[name] = value; // the latest sign-in wins
            }
        }

        return values;
    }
}
