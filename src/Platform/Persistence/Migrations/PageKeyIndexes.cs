using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>The id in the index that orders all environments, so a page past the first finds its keys from the index alone.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261208000001_PageKeyIndexes")]
internal sealed class PageKeyIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261208000001_PageKeyIndexes.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261208000001_PageKeyIndexes.down.sql"));
}
