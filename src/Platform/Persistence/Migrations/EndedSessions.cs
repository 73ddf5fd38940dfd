using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Sessions signed out with <c>/hub/logout</c>: their cookies are refused on every replica.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261205010000_EndedSessions")]
internal sealed class EndedSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205010000_EndedSessions.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261205010000_EndedSessions.down.sql"));
}
