using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Costs;

internal sealed class UsageHourConfiguration : IEntityTypeConfiguration<UsageHour>
{
    public void Configure(EntityTypeBuilder<UsageHour> builder)
    {
        builder.ToTable("UsageHours");
        builder.HasIndex(u => new { u.EnvironmentId, u.Hour }).IsUnique();
        builder.HasIndex(u => u.Hour);
        builder.HasIndex(u => new { u.GroupName, u.Hour }); // a group's environments over a window (usage per environment)
        builder.HasIndex(u => new { u.UserName, u.Hour }); // a user's
        builder.Property(u => u.EnvironmentName).HasMaxLength(63);
        builder.Property(u => u.UserName).HasMaxLength(63);
        builder.Property(u => u.GroupName).HasMaxLength(63);
        builder.Property(u => u.ProfileName).HasMaxLength(63);
        builder.Property(u => u.PoolName).HasMaxLength(63);
        builder.Property(u => u.CpuRequest).HasPrecision(9, 3);
        builder.Property(u => u.Cost).HasPrecision(20, 10);
    }
}
