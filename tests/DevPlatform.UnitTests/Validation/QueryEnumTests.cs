using DevPlatform.Api;
using DevPlatform.Catalog;
using DevPlatform.Validation;

namespace DevPlatform.UnitTests.Validation;

public sealed class QueryEnumTests
{
    [Theory]
    [InlineData("on-demand", "OnDemand")]
    [InlineData("spot", "Spot")]
    [InlineData("OnDemand", "OnDemand")]
    public void Parse_JsonSpelling_Accepted(string text, string expected) => Assert.Equal(expected, QueryEnum.Parse<CapacityType>(text, "capacityType").ToString());

    [Theory]
    [InlineData("reserved")]
    [InlineData("1")]
    public void Parse_Unknown_NamesTheChoices(string text)
    {
        var error = Assert.Throws<ValidationFailedException>(() => QueryEnum.Parse<CapacityType>(text, "capacityType"));
        Assert.Contains("on-demand, spot", error.Errors["capacityType"][0], StringComparison.Ordinal);
    }
}
