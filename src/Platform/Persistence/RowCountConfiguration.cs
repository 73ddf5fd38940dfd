using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Persistence;

internal sealed class RowCountConfiguration : IEntityTypeConfiguration<RowCount>
{
    public void Configure(EntityTypeBuilder<RowCount> builder)
    {
        builder.ToTable("RowCounts");
        builder.HasIndex(c => new { c.TableName, c.Key }).IncludeProperties(c => c.Delta); // a key's sum, index only
        builder.Property(c => c.TableName).HasMaxLength(63);
        builder.Property(c => c.Key).HasMaxLength(63);
    }
}
