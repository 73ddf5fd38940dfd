using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Identity;

internal sealed class UserIdentityConfiguration : IEntityTypeConfiguration<UserIdentity>
{
    public void Configure(EntityTypeBuilder<UserIdentity> builder)
    {
        builder.ToTable("UserIdentities");
        builder.HasIndex(i => new { i.Provider, i.Subject }).IsUnique();
        builder.HasIndex(i => new { i.UserId, i.Provider }).IsUnique();
        builder.Property(i => i.Provider).HasMaxLength(63);
        builder.Property(i => i.Subject).HasMaxLength(255);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
