using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Storage;

internal sealed class StorageUsageConfiguration : IEntityTypeConfiguration<StorageUsage>
{
    public void Configure(EntityTypeBuilder<StorageUsage> builder)
    {
        builder.ToTable("StorageUsages");
        builder.HasIndex(u => new { u.Kind, u.Owner, u.Folder }).IsUnique();
        builder.HasIndex(u => u.Bytes);
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.Owner).HasMaxLength(63);
        builder.Property(u => u.Folder).HasMaxLength(63);
    }
}
