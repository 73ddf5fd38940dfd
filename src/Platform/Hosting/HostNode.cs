namespace DevPlatform.Hosting;

/// <summary>
/// This host's id among the hosts sharing one database (<c>Jobs:NodeId</c>, else the machine name and a unique
/// suffix): its Hangfire server name, and the owner recorded on the environments whose start it runs.
/// </summary>
internal sealed record HostNode(string NodeId)
{
    public static HostNode Create(string? configured) => new(string.IsNullOrEmpty(configured)
        ? $"{Environment.MachineName}-{Guid.NewGuid():N}"[..Math.Min(200, Environment.MachineName.Length + 33)]
        : configured);
}
