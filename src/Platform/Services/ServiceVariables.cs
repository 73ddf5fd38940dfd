using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Services;

/// <summary>
/// The variables an environment of a group receives from the services that group may use: each service's
/// <c>variables</c>, with <c>{url}</c> its address through the hub's proxy. Environments of other groups get none.
/// </summary>
internal static class ServiceVariables
{
    public static async Task<Dictionary<string, string>> ForGroupAsync(PlatformDbContext db, string group, string hubApiUrl, CancellationToken cancellationToken)
    {
        var hub = hubApiUrl.EndsWith("/hub/api", StringComparison.Ordinal) ? hubApiUrl[..^"/hub/api".Length] : hubApiUrl;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in await db.SharedServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken))
        {
            var spec = ServiceStore.SpecOf(service);
            if (!spec.AllowedGroups.Contains(group))
            {
                continue;
            }

            foreach (var (name, template) in spec.Variables ?? new Dictionary<string, string>())
            {
                variables[name] = template.Replace("{url}", hub + ServiceRunner.BaseUrl(spec.Name), StringComparison.Ordinal);
            }
        }

        return variables;
    }
}
