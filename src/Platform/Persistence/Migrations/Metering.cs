using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Hourly usage and cost records; pools may name a priced instance type; environments carry their pool and how far they are metered; budget alerts and stop-at-budget.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130010000_Metering")]
internal sealed class Metering : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130010000_Metering.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130010000_Metering.down.sql"));
}
