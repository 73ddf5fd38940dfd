using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Tenancy;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasIndex(u => u.Name).IsUnique();
        // The list's search: ILIKE '%part%' on either, as a trigram index scan (migration UserSearchIndexes).
        builder.HasIndex(u => u.Name, "ix_users_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.HasIndex(u => u.DisplayName, "ix_users_display_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.Property(u => u.Name).HasMaxLength(63);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(254);
    }
}
