using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Tenancy;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> builder)
    {
        builder.ToTable("Groups");
        builder.HasIndex(g => g.Name).IsUnique();
        builder.Property(g => g.Name).HasMaxLength(63);
        builder.Property(g => g.DisplayName).HasMaxLength(200);
        builder.Property(g => g.Description).HasMaxLength(2000);
        builder.OwnsOne(g => g.Policy, policy =>
        {
            policy.Property(p => p.AllowedProfiles).HasColumnName("policy_allowed_profiles");
            policy.Property(p => p.MonthlyBudget).HasPrecision(14, 2);
            policy.Property(p => p.SharedFolders).HasColumnName("policy_shared_folders");
        });
        builder.Navigation(g => g.Policy).IsRequired();
    }
}
