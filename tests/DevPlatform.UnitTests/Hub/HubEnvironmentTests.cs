using DevPlatform.Hub;

namespace DevPlatform.UnitTests.Hub;

/// <summary>The variables a named server gets, as shared/design/HUB-PROTOCOL.md §1 records them from JupyterHub 3.0.</summary>
public sealed class HubEnvironmentTests
{
    [Fact]
    public void Variables_NamedServer_MatchJupyterHub()
    {
        var variables = HubEnvironment.Variables("alice", "gpu1", "a1b2", "http://127.0.0.1:8081/hub/api");
        Assert.Equal("a1b2", variables["JUPYTERHUB_API_TOKEN"]);
        Assert.Equal("a1b2", variables["JPY_API_TOKEN"]);
        Assert.Equal("jupyterhub-user-alice-gpu1", variables["JUPYTERHUB_CLIENT_ID"]);
        Assert.Equal("/user/alice/gpu1/oauth_callback", variables["JUPYTERHUB_OAUTH_CALLBACK_URL"]);
        Assert.Equal("[\"access:servers!server=alice/gpu1\",\"access:servers!user=alice\"]", variables["JUPYTERHUB_OAUTH_ACCESS_SCOPES"]);
        Assert.Equal(variables["JUPYTERHUB_OAUTH_ACCESS_SCOPES"], variables["JUPYTERHUB_OAUTH_SCOPES"]);
        Assert.Equal("gpu1", variables["JUPYTERHUB_SERVER_NAME"]);
        Assert.Equal("http://127.0.0.1:8081/hub/api/users/alice/activity", variables["JUPYTERHUB_ACTIVITY_URL"]);
        Assert.Equal("/", variables["JUPYTERHUB_BASE_URL"]);
        Assert.Equal("/user/alice/gpu1/", variables["JUPYTERHUB_SERVICE_PREFIX"]);
        Assert.Equal("http://{ip}:{port}/user/alice/gpu1/", variables["JUPYTERHUB_SERVICE_URL"]);
        Assert.Equal(string.Empty, variables["JUPYTERHUB_HOST"]);
    }
}
