using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Usage summed per UTC day and key (user, group, profile, pool), kept by triggers on the hourly records: what reports and budgets read.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000002_UsageDays")]
internal sealed class UsageDays : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000002_UsageDays.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000002_UsageDays.down.sql"));
}
