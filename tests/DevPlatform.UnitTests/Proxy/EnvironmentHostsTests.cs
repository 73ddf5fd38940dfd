using DevPlatform.Identity;
using DevPlatform.Proxy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DevPlatform.UnitTests.Proxy;

public sealed class EnvironmentHostsTests
{
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static EnvironmentHosts Hosts(string? url, string? hub) =>
        new(Options.Create(new ProxyOptions { EnvironmentUrl = url }), Options.Create(new DevLoginOptions { PublicUrl = hub }), new NoServer());

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("https://{user}.envs.example.org", "https://hub.example.org", null)]
    [InlineData("https://envs.example.org/{user}", "https://hub.example.org", "must be a URL whose host starts with '{user}.'")]
    [InlineData("https://{user}.envs.example.org", null, "needs Auth:PublicUrl")]
    [InlineData("https://{user}.envs.example.org", "https://hub.envs.example.org", "would be taken for a user's host")]
    public void Problem_NamesWhatCannotWork(string? url, string? hub, string? expected)
    {
        var problem = Hosts(url, hub).Problem();
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("alice.envs.example.org", "alice")]
    [InlineData("Alice.ENVS.example.org:8443", "alice")]
    [InlineData("hub.example.org", null)]
    [InlineData("a.b.envs.example.org", null)]
    [InlineData("envs.example.org", null)]
    [InlineData("evilenvs.example.org", null)]
    public void UserOf_OnlyOneLabelUnderTheDomain(string host, string? user) =>
        Assert.Equal(user, Hosts("https://{user}.envs.example.org", "https://hub.example.org").UserOf(new HostString(host)));
}
