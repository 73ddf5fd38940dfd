using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Identity;

internal sealed class LoginAttemptConfiguration : IEntityTypeConfiguration<LoginAttempt>
{
    public void Configure(EntityTypeBuilder<LoginAttempt> builder)
    {
        builder.ToTable("LoginAttempts");
        builder.HasKey(a => a.StateHash);
        builder.HasIndex(a => a.ExpiresAt);
        builder.Property(a => a.StateHash).HasMaxLength(64);
        builder.Property(a => a.BrowserHash).HasMaxLength(64);
        builder.Property(a => a.Provider).HasMaxLength(63);
        builder.Property(a => a.CodeVerifier).HasMaxLength(128);
        builder.Property(a => a.Nonce).HasMaxLength(128);
        builder.Property(a => a.ReturnUrl).HasMaxLength(2048);
    }
}
