using DevPlatform.Validation;

namespace DevPlatform.UnitTests.Validation;

public sealed class PackageSpecTests
{
    [Theory]
    [InlineData("pandas")]
    [InlineData("pandas>=2.1,<3")]
    [InlineData("xarray[io,parallel]==2024.1.0")]
    [InlineData("torch~=2.5.0")]
    [InlineData("zope.interface!=5.*")]
    public void IsValidPip_Requirements_Accepted(string spec) => Assert.True(PackageSpec.IsValidPip(spec));

    [Theory]
    [InlineData("pandas; python_version<'3.8'")]
    [InlineData("-r requirements.txt")]
    [InlineData("--index-url=http://evil")]
    [InlineData("git+https://example.org/x.git")]
    [InlineData("./local/path")]
    [InlineData("pandas && id")]
    [InlineData("pandas|id")]
    [InlineData("pandas $(id)")]
    [InlineData("")]
    public void IsValidPip_AnythingButNameAndVersions_Refused(string spec) => Assert.False(PackageSpec.IsValidPip(spec));

    [Theory]
    [InlineData("numpy")]
    [InlineData("numpy>=1.26")]
    [InlineData("conda-forge::numpy=1.26.4=py311h64a7726_0")]
    [InlineData("scipy>=1.11,<2")]
    public void IsValidConda_MatchSpecs_Accepted(string spec) => Assert.True(PackageSpec.IsValidConda(spec));

    [Theory]
    [InlineData("numpy;reboot")]
    [InlineData("numpy >=1")]
    [InlineData("https://evil/x.tar.bz2")]
    [InlineData("../numpy")]
    public void IsValidConda_Hostile_Refused(string spec) => Assert.False(PackageSpec.IsValidConda(spec));
}
