using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Shared services and their events.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130050000_SharedServices")]
internal sealed class SharedServices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130050000_SharedServices.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130050000_SharedServices.down.sql"));
}
