using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Access;

internal sealed class SshKeyConfiguration : IEntityTypeConfiguration<SshKey>
{
    public void Configure(EntityTypeBuilder<SshKey> builder)
    {
        builder.ToTable("SshKeys");
        builder.HasIndex(k => new { k.UserId, k.Name }).IsUnique();
        builder.HasIndex(k => k.Fingerprint).IsUnique();
        builder.Property(k => k.Name).HasMaxLength(63);
        builder.Property(k => k.Type).HasMaxLength(32);
        builder.Property(k => k.Blob).HasMaxLength(4096);
        builder.Property(k => k.Comment).HasMaxLength(200);
        builder.Property(k => k.Fingerprint).HasMaxLength(64);
        builder.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
