using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Image, size, bundles and URL as generated columns of the spec, for lists that need no spec; indexes for the admin filters.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000000_EnvironmentListColumns")]
internal sealed class EnvironmentListColumns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000000_EnvironmentListColumns.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000000_EnvironmentListColumns.down.sql"));
}
