using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Identity-provider links, login attempts, data-protection keys, audit source address, session revocation.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261122030000_Identity")]
internal sealed class IdentityLinks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122030000_Identity.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122030000_Identity.down.sql"));
}
