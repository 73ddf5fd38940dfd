using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>The owner's name on each environment (kept by triggers) and an index on (owner name, name) for the admin list's order.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000003_EnvironmentOwnerNames")]
internal sealed class EnvironmentOwnerNames : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000003_EnvironmentOwnerNames.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000003_EnvironmentOwnerNames.down.sql"));
}
