using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Catalog;

internal sealed class ComputePoolConfiguration : IEntityTypeConfiguration<ComputePool>
{
    public void Configure(EntityTypeBuilder<ComputePool> builder)
    {
        builder.ToTable("ComputePools");
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(63);
        builder.Property(p => p.DisplayName).HasMaxLength(200);
        builder.Property(p => p.AcceleratorKind).HasMaxLength(63);
        builder.Property(p => p.Configuration).HasColumnType("jsonb");
        builder.Property(p => p.OnDemandHourlyPrice).HasPrecision(12, 6);
        builder.Property(p => p.SpotHourlyPrice).HasPrecision(12, 6);
        builder.Property(p => p.CapacityType).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.InstanceType).HasMaxLength(63);
    }
}
