using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>A trigger that NOTIFYs every host when an environment's routing may have changed (see Proxy/RouteSync).</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261206010000_RouteNotifications")]
internal sealed class RouteNotifications : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261206010000_RouteNotifications.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261206010000_RouteNotifications.down.sql"));
}
