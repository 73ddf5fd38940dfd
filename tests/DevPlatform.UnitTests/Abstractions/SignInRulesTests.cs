using DevPlatform.Abstractions;

namespace DevPlatform.UnitTests.Abstractions;

public sealed class SignInRulesTests
{
    [Theory]
    [InlineData("Octo-Cat", "octo-cat")]
    [InlineData("Alice.Smith@Example.org", "alice-smith-example-org")]
    [InlineData("  _bob_ ", "bob")]
    [InlineData("3f2a9c1e-77aa-4b5e-9d1c-0a1b2c3d4e5f", "3f2a9c1e-77aa-4b5e-9d1c-0a1b2c3d4e5f")]
    [InlineData("@@@", null)]
    [InlineData("", null)]
    public void Usernames_AreNormalisedToDnsLabels(string raw, string? expected) => Assert.Equal(expected, Usernames.Normalize(raw));

    [Fact]
    public void Usernames_LongerThan63_AreCutWithoutTrailingDash() =>
        Assert.Equal(new string('a', 62), Usernames.Normalize(new string('a', 62) + "-" + new string('b', 10)));

    [Fact]
    public void GroupRules_MapIgnoringCase_AndNameTheGroupsTheyManage()
    {
        var rules = new GroupRules(new Dictionary<string, string> { ["Research-Org/ML"] = "ml", ["bio"] = "imaging" });
        Assert.Equal(["ml"], rules.Map(["research-org/ml", "research-org", "astro"]));
        Assert.Empty(rules.Map(["elsewhere"]));
        Assert.Equal(new HashSet<string> { "ml", "imaging" }, rules.Targets);
    }
}
