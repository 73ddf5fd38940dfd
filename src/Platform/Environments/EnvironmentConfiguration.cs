using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DevPlatform.Environments;

internal sealed class EnvironmentConfiguration : IEntityTypeConfiguration<UserEnvironment>, IEntityTypeConfiguration<EnvironmentEvent>
{
    public void Configure(EntityTypeBuilder<UserEnvironment> builder)
    {
        builder.ToTable("Environments");
        builder.HasIndex(e => new { e.UserId, e.Name }).IsUnique();
        builder.HasIndex(e => e.State);
        builder.HasOne(e => e.User).WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.Name).HasMaxLength(63);
        builder.Property(e => e.GroupName).HasMaxLength(63);
        builder.Property(e => e.ProfileName).HasMaxLength(63);
        builder.Property(e => e.Request).HasColumnType("jsonb");
        builder.Property(e => e.Spec).HasColumnType("jsonb");
        builder.Property(e => e.BackendState).HasColumnType("jsonb");
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken(); // every host writes only the state it read
        builder.Property(e => e.Backend).HasMaxLength(63);
        builder.Property(e => e.Endpoint).HasMaxLength(500);
        builder.Property(e => e.FailureReason).HasMaxLength(4000);
        builder.Property(e => e.CpuRequest).HasPrecision(12, 3);
        builder.Property(e => e.HourlyRate).HasPrecision(12, 6);
        builder.Property(e => e.PoolName).HasMaxLength(63);
        builder.HasIndex(e => e.GroupName);
        builder.HasIndex(e => e.ProfileName);
        // Generated columns (migration EnvironmentListColumns): never written, read back after every save.
        builder.Property(e => e.Image).HasComputedColumnSql("coalesce(spec ->> 'image', '')", stored: true);
        builder.Property(e => e.Size).HasComputedColumnSql("coalesce(spec -> 'labels' ->> 'devplatform.io/size', '')", stored: true);
        builder.Property(e => e.Bundles).HasComputedColumnSql("string_to_array(btrim(replace(jsonb_path_query_array(spec, '$.packages[*].bundle')::text, '\"', ''), '[]'), ', ')", stored: true);
        builder.Property(e => e.Url).HasComputedColumnSql("coalesce(spec ->> 'baseUrl', '')", stored: true);
        builder.Property(e => e.OwnerName).HasMaxLength(63).ValueGeneratedOnAddOrUpdate(); // set by a trigger (migration EnvironmentOwnerNames)
        builder.HasIndex(e => new { e.OwnerName, e.Name }).IncludeProperties(e => e.Id); // pages past the first walk it alone to their keys (PageRequest.ApplyByKeyAsync)
        builder.Property(e => e.Host).HasMaxLength(200).IsConcurrencyToken(); // and only while it is still the host acting on it
    }

    public void Configure(EntityTypeBuilder<EnvironmentEvent> builder)
    {
        builder.ToTable("EnvironmentEvents");
        builder.HasIndex(e => new { e.EnvironmentId, e.Id });
        builder.HasOne<UserEnvironment>().WithMany().HasForeignKey(e => e.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Message).HasMaxLength(4000);
    }
}
