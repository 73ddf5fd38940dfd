using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>OAuth codes and tokens issued to shared services (their client).</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130060000_ServiceTokens")]
internal sealed class ServiceTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130060000_ServiceTokens.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130060000_ServiceTokens.down.sql"));
}
