using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Catalog.File;

internal sealed class CatalogFileEntryConfiguration : IEntityTypeConfiguration<CatalogFileEntry>
{
    public void Configure(EntityTypeBuilder<CatalogFileEntry> builder)
    {
        builder.HasKey(e => new { e.ResourceType, e.Name });
        builder.Property(e => e.ResourceType).HasMaxLength(16);
        builder.Property(e => e.Name).HasMaxLength(64);
        builder.Property(e => e.File).HasMaxLength(255);
        builder.Property(e => e.Fingerprint).HasMaxLength(64);
    }
}
