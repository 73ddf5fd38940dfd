using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Profile kind and command; environments, environment events, hub tokens.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261122010000_Environments")]
internal sealed class Environments : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122010000_Environments.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122010000_Environments.down.sql"));
}
