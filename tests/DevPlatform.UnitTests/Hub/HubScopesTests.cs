using DevPlatform.Hub.Rest;

namespace DevPlatform.UnitTests.Hub;

/// <summary>JupyterHub 3.0's scope rules (jupyterhub/scopes.py) as the REST layer applies them.</summary>
public sealed class HubScopesTests
{
    [Fact]
    public void Expand_AddsSubscopesUnderTheSameFilter_AndResolvesSelf()
    {
        var admin = HubScopes.Expand(["admin:users"], null);
        Assert.Superset(new HashSet<string> { "admin:users", "users", "read:users", "list:users", "read:users:name", "delete:users", "admin:auth_state" }, admin);

        var self = HubScopes.Expand([HubScopes.Self], "alice");
        Assert.Contains("servers!user=alice", self);
        Assert.Contains("delete:servers!user=alice", self);
        Assert.Contains("tokens!user=alice", self);
        Assert.DoesNotContain("list:users!user=alice", self); // users cannot list users, only read themselves
        Assert.DoesNotContain(self, s => !s.EndsWith("!user=alice", StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_ServerFilter_AlsoReadsTheOwnersName()
    {
        var scopes = HubScopes.Expand(["read:servers!server=alice/nb"], "alice");
        Assert.Contains("read:servers!server=alice/nb", scopes);
        Assert.Contains("read:users:name!user=alice", scopes);
    }

    [Fact]
    public void Check_FilteredScope_AllowsItsResources_HidesOthers_RefusesWithoutScope()
    {
        var scopes = HubScopeSet.Of(HubScopes.Expand(["servers!server=alice/nb", "read:users!group=lab"], null));
        Assert.Equal(HubAccess.Allowed, scopes.Check(["servers"], HubTarget.ForServer("alice", "nb")));
        Assert.Equal(HubAccess.Hidden, scopes.Check(["servers"], HubTarget.ForServer("alice", "other")));
        Assert.Equal(HubAccess.Allowed, scopes.Check(["read:users"], HubTarget.ForUser("bob", ["lab"])));
        Assert.Equal(HubAccess.Hidden, scopes.Check(["read:users"], HubTarget.ForUser("carol", ["physics"])));
        Assert.Equal(HubAccess.Refused, scopes.Check(["admin:users"], HubTarget.ForUser("bob", ["lab"])));
    }

    [Fact]
    public void Intersect_TokenScopesNarrowToTheOwners()
    {
        var owner = HubScopeSet.Of(HubScopes.Expand([HubScopes.Self], "alice"));
        var token = HubScopeSet.Of(HubScopes.Expand(["read:users", "servers!server=alice/nb", "admin:users"], "alice"));
        var both = token.Intersect(owner, user => user == "alice" ? ["lab"] : []).Expanded;
        Assert.Contains("read:users!user=alice", both);
        Assert.Contains("servers!server=alice/nb", both);
        Assert.DoesNotContain(both, s => s.StartsWith("admin:users", StringComparison.Ordinal) || s.StartsWith("delete:users", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("read:users", null)]
    [InlineData("read:users!group=lab", null)]
    [InlineData("bogus", "Scope 'bogus' does not exist")]
    [InlineData("all", "Draft scope 'all' is now called 'inherit'")]
    [InlineData("read:users!planet=mars", "Scope filter '!planet=mars' in scope 'read:users!planet=mars' does not exist")]
    public void Problem_NamesUnknownScopesAndFilters(string scope, string? problem) => Assert.Equal(problem, HubScopes.Problem(scope));

    [Fact]
    public void Roles_AreJupyterHubsBuiltInOnes()
    {
        Assert.Equal([HubScopes.Self], HubScopes.Role("user")!);
        Assert.Contains("admin:users", HubScopes.Role("admin")!);
        Assert.Equal([HubScopes.Inherit], HubScopes.Role("token")!);
        Assert.Null(HubScopes.Role("superuser"));
    }
}
