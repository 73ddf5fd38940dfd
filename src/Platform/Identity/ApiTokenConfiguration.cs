using DevPlatform.Environments;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Identity;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens", t => t.HasCheckConstraint("ck_api_tokens_personal_named_and_expiring",
            "kind <> 'Personal' OR (name IS NOT NULL AND expires_at IS NOT NULL)"));
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.Name }).IsUnique();
        builder.HasIndex(t => t.EnvironmentId);
        builder.HasIndex(t => t.ServiceId);
        builder.HasIndex(t => t.ParentId);
        builder.HasOne<ApiToken>().WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Services.SharedService>().WithMany().HasForeignKey(t => t.ServiceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Name).HasMaxLength(63);
        builder.Property(t => t.Note).HasMaxLength(1000);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.SessionId).HasMaxLength(64);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<UserEnvironment>().WithMany().HasForeignKey(t => t.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
