using DevPlatform.Abstractions;

namespace DevPlatform.UnitTests.Abstractions;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1.5", 1.5)]
    [InlineData("4Gi", 4294967296)]
    [InlineData("512Mi", 536870912)]
    [InlineData("1G", 1000000000)]
    [InlineData("1e3", 1000)]
    [InlineData("1Ti", 1099511627776)]
    [InlineData("250000000n", 0.25)] // metrics-server reports CPU in nanocores
    [InlineData("1500u", 0.0015)]
    [InlineData("524288Ki", 536870912)] // binary kilo is upper-case K
    [InlineData("2k", 2000)]
    public void TryParse_KubernetesQuantities_Parsed(string text, double expected)
    {
        Assert.True(ResourceQuantity.TryParse(text, out var quantity));
        Assert.Equal((decimal)expected, quantity.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("4GB")]
    [InlineData("4 Gi")]
    [InlineData("lots")]
    [InlineData("1mi")]
    [InlineData("1ki")]
    [InlineData("1K")]
    [InlineData("1e99")]
    public void TryParse_NotQuantities_Refused(string text) => Assert.False(ResourceQuantity.TryParse(text, out _));
}
