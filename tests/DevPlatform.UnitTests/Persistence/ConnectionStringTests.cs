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

    [Fact]
    public void Pooled_PreparesTheMostUsedStatements_UnlessTheOperatorSaidHowMany()
    {
        Assert.Equal(PersistenceExtensions.AutoPreparedStatements, new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;Database=devplatform")).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;Database=devplatform;Max Auto Prepare=0")).MaxAutoPrepare);
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;MaxAutoPrepare=20;No Reset On Close=false")).MaxAutoPrepare);
        Assert.False(new NpgsqlConnectionStringBuilder(PersistenceExtensions.Pooled("Host=db;MaxAutoPrepare=20;No Reset On Close=false")).NoResetOnClose);
    }
}
