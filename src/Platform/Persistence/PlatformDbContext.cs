using DevPlatform.Audit;
using DevPlatform.Catalog;
using DevPlatform.Environments;
using DevPlatform.Identity;
using DevPlatform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Persistence;

internal sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Group> Groups => Set<Group>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<ComputePool> Pools => Set<ComputePool>();

    public DbSet<Profile> Profiles => Set<Profile>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<UserEnvironment> Environments => Set<UserEnvironment>();

    public DbSet<EnvironmentEvent> EnvironmentEvents => Set<EnvironmentEvent>();


    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();

    public DbSet<EndedSession> EndedSessions => Set<EndedSession>();

    public DbSet<UserIdentity> UserIdentities => Set<UserIdentity>();

    public DbSet<Catalog.File.CatalogFileEntry> CatalogFileEntries => Set<Catalog.File.CatalogFileEntry>();

    public DbSet<Jobs.JobRun> JobRuns => Set<Jobs.JobRun>();

    public DbSet<Jobs.JobSchedule> JobSchedules => Set<Jobs.JobSchedule>();

    public DbSet<Costs.UsageHour> UsageHours => Set<Costs.UsageHour>();

    public DbSet<Costs.UsageDay> UsageDays => Set<Costs.UsageDay>();

    public DbSet<Costs.BudgetAlert> BudgetAlerts => Set<Costs.BudgetAlert>();

    public DbSet<Storage.StorageUsage> StorageUsages => Set<Storage.StorageUsage>();

    public DbSet<Access.SshKey> SshKeys => Set<Access.SshKey>();

    public DbSet<Hosting.HostRecord> Hosts => Set<Hosting.HostRecord>();

    public DbSet<Services.SharedService> SharedServices => Set<Services.SharedService>();

    public DbSet<Services.ServiceEvent> ServiceEvents => Set<Services.ServiceEvent>();

    /// <summary>The kept totals' appended changes (triggers write them); read through <see cref="KeptCounts"/>.</summary>
    public DbSet<RowCount> RowCounts => Set<RowCount>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlatformDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
