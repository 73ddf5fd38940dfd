using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Storage usage per area from the scans; group policies gain soft and home quotas, shared folders and scratch retention; users' dormancy marks.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130020000_Storage")]
internal sealed class StorageUsages : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130020000_Storage.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130020000_Storage.down.sql"));
}
