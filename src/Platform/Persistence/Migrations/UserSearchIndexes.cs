using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Trigram indexes for searching users by part of their name or display name.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261207000001_UserSearchIndexes")]
internal sealed class UserSearchIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000001_UserSearchIndexes.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261207000001_UserSearchIndexes.down.sql"));
}
