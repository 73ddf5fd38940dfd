using DevPlatform.Identity;

namespace DevPlatform.UnitTests.Hub;

public sealed class LoopbackCheckTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.9.9.9:80", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://[::]:80", false)]
    [InlineData("http://10.0.0.5:80", false)]
    public void IsLoopbackUrl_RecognisesLoopbackOnly(string url, bool loopback) => Assert.Equal(loopback, LoopbackCheck.IsLoopbackUrl(url));
}
