using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Identity;

public sealed class ApiTokenTests : LiveHostTest
{
    private static async Task<string> CreateAsync(Browser owner, string user, string name, params string[] scopes)
    {
        var created = await ApiAssert.OkAsync(await owner.Client.PostAsJsonAsync($"/api/users/{user}/tokens", new { name, scopes, expiresInDays = 30 }), HttpStatusCode.Created);
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("dvp_", token, StringComparison.Ordinal);
        return token;
    }

    private HttpClient With(string token)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Token_ShownOnce_UsableWithinItsScopes_LastUseRecorded_RevokedStopsWorking()
    {
        var token = await CreateAsync(Alice, "alice", "laptop", "environments");
        var listed = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/tokens");
        var entry = listed.GetProperty("items").EnumerateArray().Single();
        Assert.False(entry.TryGetProperty("token", out _));
        Assert.Equal(token[..10], entry.GetProperty("prefix").GetString());
        Assert.DoesNotContain(token, (await Admin.GetStringAsync(new Uri("/api/audit?resourceType=api-token", UriKind.Relative))), StringComparison.Ordinal);

        using var client = With(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative))).StatusCode);
        await ApiAssert.FieldErrorAsync(await client.PostAsJsonAsync("/api/users/alice/environments", new { name = "BAD", profile = "web" }), "name"); // past auth and scope
        await ApiAssert.ProblemAsync(await client.PostAsync(new Uri("/api/users/alice/environments/tokens/stop", UriKind.Relative), null), HttpStatusCode.NotFound); // an environment may be called 'tokens'
        await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/api/users/bob/environments", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/api/users", UriKind.Relative)), HttpStatusCode.Forbidden);
        var mint = await client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "more", scopes = new[] { "environments" } });
        Assert.Equal("Tokens cannot create tokens.", (await ApiAssert.ProblemAsync(mint, HttpStatusCode.Forbidden)).GetProperty("title").GetString());

        var used = (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/tokens")).GetProperty("items").EnumerateArray().Single();
        Assert.NotEqual(JsonValueKind.Null, used.GetProperty("lastUsedAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await Alice.Client.DeleteAsync(new Uri("/api/users/alice/tokens/laptop", UriKind.Relative))).StatusCode);
        var revoked = await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative)), HttpStatusCode.Unauthorized);
        Assert.Contains("not valid, has expired or was revoked", revoked.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyToken_CannotChangeAnything()
    {
        using var client = With(await CreateAsync(Alice, "alice", "ci", "read-only"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative))).StatusCode);
        var refused = await ApiAssert.ProblemAsync(await client.PostAsJsonAsync("/api/users/alice/environments", new { name = "x", profile = "web" }), HttpStatusCode.Forbidden);
        Assert.Equal("Read-only token.", refused.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ExpiredToken_Refused()
    {
        using var client = With(await CreateAsync(Alice, "alice", "old", "read-only"));
        await using (var connection = new NpgsqlConnection(Host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var expire = new NpgsqlCommand("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'old'", connection);
            Assert.Equal(1, await expire.ExecuteNonQueryAsync());
        }

        await ApiAssert.ProblemAsync(await client.GetAsync(new Uri("/api/users/alice/environments", UriKind.Relative)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminScope_OnlyForAdmins_AndOnlyWhatItSays()
    {
        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "root", scopes = new[] { "admin" } }), HttpStatusCode.Forbidden);
        Assert.Equal("Admin scope not allowed.", refused.GetProperty("title").GetString());

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "ops", admin = true }), HttpStatusCode.Created);
        using var ops = new Browser(Host.BaseAddress);
        await ops.LoginAsync("ops");
        using var adminToken = With(await CreateAsync(ops, "ops", "automation", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await adminToken.GetAsync(new Uri("/api/users", UriKind.Relative))).StatusCode);
        using var environmentsOnly = With(await CreateAsync(ops, "ops", "envs", "environments"));
        await ApiAssert.ProblemAsync(await environmentsOnly.GetAsync(new Uri("/api/users", UriKind.Relative)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Tokens_OfAnotherUser_NeitherListedNorCreatedNorRevoked_BadInputNamed()
    {
        using var bob = new Browser(Host.BaseAddress);
        await bob.LoginAsync("bob");
        await ApiAssert.ProblemAsync(await bob.Client.GetAsync(new Uri("/api/users/alice/tokens", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "x", scopes = new[] { "read-only" } }), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await bob.Client.DeleteAsync(new Uri("/api/users/alice/tokens/x", UriKind.Relative)), HttpStatusCode.Forbidden);

        Assert.Contains("one or more of", await ApiAssert.FieldErrorAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "x", scopes = new[] { "root" } }), "scopes"), StringComparison.Ordinal);
        Assert.Contains("between 1 and 365", await ApiAssert.FieldErrorAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "x", scopes = new[] { "read-only" }, expiresInDays = 9999 }), "expiresInDays"), StringComparison.Ordinal);
        await CreateAsync(Alice, "alice", "dup", "read-only");
        await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/tokens", new { name = "dup", scopes = new[] { "read-only" } }), HttpStatusCode.Conflict);

        // The list: bob's is empty (alice's are not his), an unknown user's is a 404 naming the user.
        var bobs = await ApiAssert.OkAsync(await bob.Client.GetAsync(new Uri("/api/users/bob/tokens", UriKind.Relative)));
        Assert.Equal(0, bobs.GetProperty("total").GetInt32());
        Assert.Empty(bobs.GetProperty("items").EnumerateArray());
        Assert.Equal(1, (await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice/tokens")).GetProperty("total").GetInt32());
        var unknown = await ApiAssert.ProblemAsync(await Admin.GetAsync(new Uri("/api/users/nobody/tokens", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Contains("nobody", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
