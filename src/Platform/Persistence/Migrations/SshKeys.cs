using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Users' SSH public keys for SFTP.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130030000_SshKeys")]
internal sealed class SshKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130030000_SshKeys.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130030000_SshKeys.down.sql"));
}
