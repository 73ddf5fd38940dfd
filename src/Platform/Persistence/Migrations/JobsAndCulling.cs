using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevPlatform.Persistence.Migrations;

/// <summary>Job run history; per-profile culling (idle timeout, default 30 min for existing profiles; max age; CPU floor); cull warnings.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261130000000_JobsAndCulling")]
internal sealed class JobsAndCulling : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130000000_JobsAndCulling.up.sql"));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(MigrationSql.Read("20261130000000_JobsAndCulling.down.sql"));
}
