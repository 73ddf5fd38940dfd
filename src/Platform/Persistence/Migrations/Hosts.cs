using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Hosts sharing the database say they are alive; environments record the host running their start or stop.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130040000_Hosts")]
internal sealed class Hosts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130040000_Hosts.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130040000_Hosts.down.sql"));
}
