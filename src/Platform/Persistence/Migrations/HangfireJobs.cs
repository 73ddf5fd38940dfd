using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>
/// Jobs move from Quartz to Hangfire: pauses kept in <c>job_schedules</c> (carried over from Quartz's paused triggers),
/// Quartz's tables dropped. Hangfire's own schema (<c>hangfire</c>) is installed by <see cref="PlatformSchema"/> right
/// after the migrations, with Hangfire.PostgreSql's versioned installer.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261206000000_HangfireJobs")]
internal sealed class HangfireJobs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261206000000_HangfireJobs.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261206000000_HangfireJobs.down.sql"));
}
