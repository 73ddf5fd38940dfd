using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Exact counts of users, memberships and audit events kept by triggers as appended changes: what a page reports as its total.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000005_RowCounts")]
internal sealed class RowCounts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000005_RowCounts.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000005_RowCounts.down.sql"));
}
