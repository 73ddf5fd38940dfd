using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Tokens created with a token remember it (<c>parent_id</c>): revoking the parent revokes them.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261205000000_DerivedTokens")]
internal sealed class DerivedTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205000000_DerivedTokens.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205000000_DerivedTokens.down.sql"));
}
