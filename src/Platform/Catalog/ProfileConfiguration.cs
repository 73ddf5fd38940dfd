using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Catalog;

internal sealed class ProfileConfiguration : IEntityTypeConfiguration<Profile>
{
    public void Configure(EntityTypeBuilder<Profile> builder)
    {
        builder.ToTable("Profiles");
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(63);
        builder.Property(p => p.DisplayName).HasMaxLength(200);
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.CustomImagePattern).HasMaxLength(1000);
        builder.Property(p => p.Images).HasJsonConversion();
        builder.Property(p => p.Bundles).HasJsonConversion();
        builder.Property(p => p.Sizes).HasJsonConversion();
        builder.Property(p => p.Command).HasJsonConversion();
        builder.Property(p => p.IdentityVariables).HasJsonConversion();
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.IdleCpuFloor).HasPrecision(9, 3);
        builder.HasOne(p => p.Pool).WithMany().HasForeignKey(p => p.PoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
