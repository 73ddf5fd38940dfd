using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Costs;

internal sealed class BudgetAlertConfiguration : IEntityTypeConfiguration<BudgetAlert>
{
    public void Configure(EntityTypeBuilder<BudgetAlert> builder)
    {
        builder.ToTable("BudgetAlerts");
        builder.HasIndex(a => new { a.GroupName, a.Month, a.Threshold }).IsUnique();
        builder.Property(a => a.GroupName).HasMaxLength(63);
        builder.Property(a => a.Spent).HasPrecision(16, 6);
        builder.Property(a => a.Budget).HasPrecision(14, 2);
    }
}
