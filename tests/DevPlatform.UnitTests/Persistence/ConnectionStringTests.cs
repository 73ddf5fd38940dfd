using DevPlatform.Persistence;
using Npgsql;

namespace DevPlatform.UnitTests.Persistence;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Pooled_TurnsOffTheResetOnReuse_UnlessTheOperatorSetIt()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;Database=devplatform")).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;Database=devplatform;No Reset On Close=false")).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;Database=devplatform;NoResetOnClose=false")).NoResetOnClose);
    }
}
