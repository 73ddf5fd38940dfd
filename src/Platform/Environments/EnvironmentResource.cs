using DevPlatform.Api;

namespace DevPlatform.Environments;

/// <summary>An environment as its owner and admins see it.</summary>
internal sealed record EnvironmentResource(
    string Name, string User, string Group, string Profile, string Image, string Size, IReadOnlyList<string> Bundles,
    EnvironmentState State, string Url, string? FailureReason, decimal CpuRequest, long MemoryRequest, int Accelerators, decimal HourlyRate,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, DateTimeOffset? LastActivityAt)
{
    public static EnvironmentResource From(UserEnvironment e)
    {
        var spec = EnvironmentLifecycle.SpecOf(e);
        return new EnvironmentResource(
            e.Name, e.User.Name, e.GroupName, e.ProfileName, spec.Image, spec.Labels.GetValueOrDefault("devplatform.io/size") ?? string.Empty,
            spec.Packages.Select(p => p.Bundle).ToList(), e.State, spec.BaseUrl, e.FailureReason, e.CpuRequest, e.MemoryRequest, e.Accelerators,
            Decimals.Normalize(e.HourlyRate), e.CreatedAt, e.StartedAt, e.StoppedAt, e.LastActivityAt);
    }
}
