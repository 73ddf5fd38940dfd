using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>What a catalog file last said about each entry it applied, so a restart re-applies only what the file changed.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261205020000_CatalogFileEntries")]
internal sealed class CatalogFileEntries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205020000_CatalogFileEntries.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205020000_CatalogFileEntries.down.sql"));
}
