using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Hosting;

internal sealed class HostRecordConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> builder)
    {
        builder.ToTable("Hosts");
        builder.HasKey(h => h.Node);
        builder.Property(h => h.Node).HasMaxLength(200);
    }
}
