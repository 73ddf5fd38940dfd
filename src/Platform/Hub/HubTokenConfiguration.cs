using DevPlatform.Environments;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Hub;

internal sealed class HubTokenConfiguration : IEntityTypeConfiguration<HubToken>
{
    public void Configure(EntityTypeBuilder<HubToken> builder)
    {
        builder.ToTable("HubTokens");
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => t.EnvironmentId);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.SessionId).HasMaxLength(64);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<UserEnvironment>().WithMany().HasForeignKey(t => t.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
