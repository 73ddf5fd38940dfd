using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DevPlatform.UnitTests.Persistence;

public sealed class LimitsWrittenIntoSqlTests
{
    [Fact]
    public void APageOfEfsSql_HasItsNumbersInTheText_AndKeepsItsOtherParameters()
    {
        using var db = new PlatformDbContext(new DbContextOptionsBuilder<PlatformDbContext>().UseNpgsql("Host=db;Database=devplatform").Options);
        var name = "user12";
        using var command = db.Users.Where(u => u.Name != name).OrderBy(u => u.Name).Skip(100).Take(50).CreateDbCommand();
        Assert.Contains("LIMIT @", command.CommandText, StringComparison.Ordinal); // EF sends them as parameters

        LimitsWrittenIntoSql.Write(command);

        Assert.EndsWith("LIMIT 50 OFFSET 100", command.CommandText.TrimEnd(), StringComparison.Ordinal);
        var left = Assert.Single(command.Parameters.Cast<NpgsqlParameter>());
        Assert.Equal("user12", left.Value);
        Assert.Contains(left.ParameterName, command.CommandText, StringComparison.Ordinal);
    }

    [Fact]
    public void AParameterAlsoUsedOutsideALimit_StaysAParameter()
    {
        using var command = new NpgsqlCommand("SELECT * FROM t WHERE n < @p LIMIT @p OFFSET @p1");
        command.Parameters.AddWithValue("@p", 10);
        command.Parameters.AddWithValue("@p1", 20);

        LimitsWrittenIntoSql.Write(command);

        Assert.Equal("SELECT * FROM t WHERE n < @p LIMIT 10 OFFSET 20", command.CommandText);
        Assert.Equal(["@p"], command.Parameters.Select(p => p.ParameterName));
    }

    [Fact]
    public void ALimitThatIsNotAnInteger_IsLeftAlone()
    {
        using var command = new NpgsqlCommand("SELECT * FROM t LIMIT @p");
        command.Parameters.AddWithValue("@p", DBNull.Value);

        LimitsWrittenIntoSql.Write(command);

        Assert.Equal("SELECT * FROM t LIMIT @p", command.CommandText);
        Assert.Single(command.Parameters);
    }
}
