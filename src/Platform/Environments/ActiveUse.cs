using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>
/// What the active environments use, counted in one statement: the user's count in a group, the group's CPU, memory and
/// accelerator requests, and the environments starting on the hub. The launch checks its limits against it (under
/// <see cref="LaunchLock"/>); the launcher shows the room it leaves.
/// </summary>
internal sealed record ActiveUse(int Mine, decimal GroupCpu, long GroupMemory, int GroupAccelerators, int Starting)
{
    public static async Task<ActiveUse> ReadAsync(PlatformDbContext db, long userId, string groupName, CancellationToken cancellationToken) =>
        await db.Environments.Where(e => EnvironmentStates.Active.Contains(e.State)).GroupBy(e => 1)
            .Select(g => new ActiveUse(
                g.Count(e => e.UserId == userId && e.GroupName == groupName),
                g.Where(e => e.GroupName == groupName).Sum(e => e.CpuRequest),
                g.Where(e => e.GroupName == groupName).Sum(e => e.MemoryRequest),
                g.Where(e => e.GroupName == groupName).Sum(e => e.Accelerators),
                g.Count(e => EnvironmentStates.Starting.Contains(e.State))))
            .FirstOrDefaultAsync(cancellationToken) ?? new ActiveUse(0, 0, 0, 0, 0);
}
