using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Costs;

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDay>
{
    public void Configure(EntityTypeBuilder<UsageDay> builder)
    {
        builder.ToTable("UsageDays");
        builder.HasKey(u => new { u.Day, u.UserName, u.GroupName, u.ProfileName, u.PoolName });
        builder.HasIndex(u => new { u.GroupName, u.Day }).IncludeProperties(u => u.Cost); // budgets and the spend metric: a group's month
        builder.HasIndex(u => u.Day, "ix_usage_days_emptied").HasFilter("records = 0"); // the triggers' clean-up of emptied days
        builder.Property(u => u.UserName).HasMaxLength(63);
        builder.Property(u => u.GroupName).HasMaxLength(63);
        builder.Property(u => u.ProfileName).HasMaxLength(63);
        builder.Property(u => u.PoolName).HasMaxLength(63);
    }
}
