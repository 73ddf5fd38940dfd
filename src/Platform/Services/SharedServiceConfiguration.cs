using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Services;

internal sealed class SharedServiceConfiguration : IEntityTypeConfiguration<SharedService>, IEntityTypeConfiguration<ServiceEvent>
{
    public void Configure(EntityTypeBuilder<SharedService> builder)
    {
        builder.ToTable("SharedServices");
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(63);
        builder.Property(s => s.Spec).HasColumnType("jsonb");
        builder.Property(s => s.BackendState).HasColumnType("jsonb");
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Endpoint).HasMaxLength(500);
        builder.Property(s => s.Host).HasMaxLength(200);
        builder.Property(s => s.FailureReason).HasMaxLength(4000);
    }

    public void Configure(EntityTypeBuilder<ServiceEvent> builder)
    {
        builder.ToTable("ServiceEvents");
        builder.HasIndex(e => new { e.ServiceId, e.Id });
        builder.HasOne<SharedService>().WithMany().HasForeignKey(e => e.ServiceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Message).HasMaxLength(4000);
    }
}
