using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Personal API tokens.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261122020000_ApiTokens")]
internal sealed class ApiTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122020000_ApiTokens.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122020000_ApiTokens.down.sql"));
}
