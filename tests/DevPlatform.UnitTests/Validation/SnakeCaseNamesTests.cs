using DevPlatform.Persistence;

namespace DevPlatform.UnitTests.Validation;

public sealed class SnakeCaseNamesTests
{
    [Theory]
    [InlineData("ComputePools", "compute_pools")]
    [InlineData("OnDemandHourlyPrice", "on_demand_hourly_price")]
    [InlineData("PK_Users", "pk_users")]
    [InlineData("IX_Profiles_PoolId", "ix_profiles_pool_id")]
    public void ToSnakeCase_PascalCase_Converted(string name, string expected) => Assert.Equal(expected, SnakeCaseNames.ToSnakeCase(name));
}
