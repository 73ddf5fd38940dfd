using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>The hub protocol's tokens join personal API tokens in one store (api_tokens, with a kind).</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261122040000_OneTokenStore")]
internal sealed class OneTokenStore : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122040000_OneTokenStore.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261122040000_OneTokenStore.down.sql"));
}
