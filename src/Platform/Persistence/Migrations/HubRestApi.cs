using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>JupyterHub REST API: a user's last reported activity, and notes on JupyterHub-style tokens.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261204000000_HubRestApi")]
internal sealed class HubRestApi : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261204000000_HubRestApi.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261204000000_HubRestApi.down.sql"));
}
