using DevPlatform.Proxy;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.UnitTests.Proxy;

public sealed class EnvironmentTransformerTests
{
    private static HttpRequest Request(string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    [Fact]
    public void Destination_Jupyter_KeepsFullPathAndQuery()
    {
        var route = new ProxyRoute(Guid.NewGuid(), "alice", "lab", new Uri("http://127.0.0.1:41234"), StripPrefix: false);
        Assert.Equal("http://127.0.0.1:41234/user/alice/lab/api/kernels?x=1&y=%2F",
            EnvironmentTransformer.Destination(route, "/user/alice/lab", Request("/user/alice/lab/api/kernels", "?x=1&y=%2F"), passToken: false).AbsoluteUri);
    }

    [Theory]
    [InlineData(true, "http://127.0.0.1:41234/user/alice/lab/api/kernels?token=abc&x=1")]
    [InlineData(false, "http://127.0.0.1:41234/user/alice/lab/api/kernels?x=1")]
    public void Destination_QueryToken_PassedOnlyWhenItIsTheWorkloads(bool passToken, string expected)
    {
        var route = new ProxyRoute(Guid.NewGuid(), "alice", "lab", new Uri("http://127.0.0.1:41234"), StripPrefix: false);
        Assert.Equal(expected, EnvironmentTransformer.Destination(route, "/user/alice/lab", Request("/user/alice/lab/api/kernels", "?token=abc&x=1"), passToken).AbsoluteUri);
    }

    [Theory]
    [InlineData("/user/alice/code/", "http://127.0.0.1:41234/")]
    [InlineData("/user/alice/code/static/app.js", "http://127.0.0.1:41234/static/app.js")]
    public void Destination_VsCode_StripsThePrefix(string path, string expected)
    {
        var route = new ProxyRoute(Guid.NewGuid(), "alice", "code", new Uri("http://127.0.0.1:41234"), StripPrefix: true);
        Assert.Equal(expected, EnvironmentTransformer.Destination(route, "/user/alice/code", Request(path, string.Empty), passToken: false).AbsoluteUri);
    }

    [Fact]
    public void Apply_RemovesPlatformCookiesKeepsOthersByteForByte_AndKeepsHost()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("hub.example.org", 8443);
        context.Request.Scheme = "https";
        context.Request.Headers.Cookie = "devplatform-session=SECRET; jupyterhub-user-alice-lab=\"2|1:0|10:1732|ab==\"; .AspNetCore.Antiforgery.x=Y; _xsrf=2|abc";
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/");
        forwarded.Headers.TryAddWithoutValidation("Authorization", "Bearer dvp_someone");
        EnvironmentTransformer.Apply(context, forwarded, credential: null);
        Assert.Null(forwarded.Headers.Authorization); // a platform credential never reaches a workload
        var cookie = string.Join("; ", forwarded.Headers.GetValues("Cookie"));
        Assert.Equal("jupyterhub-user-alice-lab=\"2|1:0|10:1732|ab==\"; _xsrf=2|abc", cookie);
        Assert.Equal("hub.example.org:8443", forwarded.Headers.Host);
        Assert.Equal("https", forwarded.Headers.GetValues("X-Forwarded-Proto").Single());
        Assert.Equal("8443", forwarded.Headers.GetValues("X-Forwarded-Port").Single());
    }

    [Theory]
    [InlineData("devplatform-session=S; devplatform-antiforgery=A", "")]
    [InlineData(" a=1 ;; devplatform-session=S;b=2; ", "a=1; b=2")]
    [InlineData("flag; devplatform-session=S", "flag")]
    [InlineData("devplatform-session-not=1; devplatform-session=S", "devplatform-session-not=1")]
    public void WorkloadCookies_DropsOnlyThePlatformsOwn(string header, string expected) =>
        Assert.Equal(expected, EnvironmentTransformer.WorkloadCookies(header));

    [Fact]
    public void WorkloadCookies_JoinsSeveralCookieHeaders() =>
        Assert.Equal("a=1; b=2", EnvironmentTransformer.WorkloadCookies(new Microsoft.Extensions.Primitives.StringValues(["a=1; devplatform-session=S", "b=2"])));

    [Fact]
    public void Apply_OnlyPlatformCookies_SendsNoCookieHeader()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "devplatform-session=S";
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/");
        EnvironmentTransformer.Apply(context, forwarded, credential: null);
        Assert.False(forwarded.Headers.Contains("Cookie"));
    }
}
