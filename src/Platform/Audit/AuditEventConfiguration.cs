using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.ResourceType, a.ResourceName });
        builder.Property(a => a.Actor).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.Property(a => a.ResourceType).HasMaxLength(32);
        builder.Property(a => a.ResourceName).HasMaxLength(200);
        builder.Property(a => a.Before).HasColumnType("jsonb");
        builder.Property(a => a.After).HasColumnType("jsonb");
        builder.Property(a => a.SourceAddress).HasMaxLength(64);
    }
}
