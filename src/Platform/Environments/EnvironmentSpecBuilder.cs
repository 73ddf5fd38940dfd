using System.Globalization;
using DevPlatform.Abstractions;
using DevPlatform.Catalog;
using DevPlatform.Hub;

namespace DevPlatform.Environments;

/// <summary>Resolves an accepted launch into the immutable <see cref="EnvironmentSpec"/> a backend runs.</summary>
internal static class EnvironmentSpecBuilder
{
    /// <param name="origin">Subdomain mode's environment and hub origins, or null in path mode.</param>
    public static EnvironmentSpec Build(Guid id, string name, LaunchPlan plan, string hubToken, string hubApiUrl, AcceleratorPlacement placement, (string Environment, string Hub)? origin = null)
    {
        var user = plan.User.Name;
        var size = plan.Size;
        var resources = new EnvironmentResources(
            plan.CpuRequest, ResourceQuantity.Parse(size.CpuLimit).Value, plan.MemoryRequest, (long)ResourceQuantity.Parse(size.MemoryLimit).Value, size.Accelerators);
        var environment = HubEnvironment.Variables(user, name, hubToken, hubApiUrl, origin);
        environment["DEVPLATFORM_USER"] = user;
        environment["DEVPLATFORM_ENVIRONMENT"] = name;
        environment["DEVPLATFORM_BASE_URL"] = HubEnvironment.Prefix(user, name);
        environment["PORT"] = "{port}";
        environment["MEM_LIMIT"] = resources.MemoryLimit.ToString(CultureInfo.InvariantCulture);
        environment["MEM_GUARANTEE"] = resources.MemoryRequest.ToString(CultureInfo.InvariantCulture);
        environment["CPU_LIMIT"] = resources.CpuLimit.ToString(CultureInfo.InvariantCulture);
        environment["CPU_GUARANTEE"] = resources.CpuRequest.ToString(CultureInfo.InvariantCulture);
        foreach (var (variable, value) in placement.Environment)
        {
            environment[variable] = value;
        }

        foreach (var variable in plan.Profile.IdentityVariables)
        {
            environment[variable] = Identity.IdentityEnvironment.Placeholder(variable);
        }

        return new EnvironmentSpec(
            id, user, name, plan.Group.Name, plan.Profile.Name, plan.Profile.Pool.Name, plan.Profile.Pool.AcceleratorKind, plan.Image,
            Command(plan.Profile), environment, resources,
            plan.Bundles.Select(b => new PackageInstall(b.Name, b.Manager.ToString().ToLowerInvariant(), b.Packages)).ToList(),
            HubEnvironment.Prefix(user, name), plan.Profile.Kind == ProfileKind.Vscode,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["devplatform.io/user"] = user, ["devplatform.io/environment"] = name, ["devplatform.io/group"] = plan.Group.Name,
                ["devplatform.io/profile"] = plan.Profile.Name, ["devplatform.io/pool"] = plan.Profile.Pool.Name, ["devplatform.io/size"] = plan.Size.Name,
                ["devplatform.io/capacity-type"] = plan.Profile.Pool.CapacityType == CapacityType.Spot ? "spot" : "on-demand",
            },
            placement,
            plan.Mounts);
    }

    /// <summary>The profile's own command, else its kind's default (argv; {ip} and {port} filled in by the backend).</summary>
    public static IReadOnlyList<string> Command(Profile profile) => profile.Command.Count > 0 ? profile.Command : profile.Kind switch
    {
        ProfileKind.Jupyter => System.Environment.IsPrivilegedProcess ? ["jupyterhub-singleuser", "--allow-root"] : ["jupyterhub-singleuser"],
        ProfileKind.Vscode => ["code-server", "--bind-addr", "{ip}:{port}", "--auth", "none", "--disable-telemetry", "--disable-update-check"],
        _ => throw new InvalidOperationException($"profile '{profile.Name}' of kind custom has no command"),
    };
}
