using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Indexes on (group, hour) and (user, hour) of the hourly usage records, for usage per environment of one group or user.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000004_UsageHourFilterIndexes")]
internal sealed class UsageHourFilterIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000004_UsageHourFilterIndexes.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000004_UsageHourFilterIndexes.down.sql"));
}
