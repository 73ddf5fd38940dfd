using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// AWS Transfer Family's user API for one server, JSON 1.1 (<c>X-Amz-Target: TransferService.*</c>), as the API
/// reference describes it: CreateUser, DescribeUser, ListUsers (paged), UpdateUser, DeleteUser, ImportSshPublicKey,
/// DeleteSshPublicKey, with its validation (user name pattern, role ARN, LOGICAL mappings, at most 50 keys) and
/// errors (<c>__type</c> ResourceNotFoundException, ResourceExistsException, InvalidRequestException, ThrottlingException).
/// </summary>
public sealed partial class FakeTransfer : FakeAwsEndpoint
{
    public const string ServerId = "s-0123456789abcdef0";
    private readonly ConcurrentDictionary<string, JsonObject> users = new(StringComparer.Ordinal);
    private readonly Lock changing = new();
    private int keyIds;

    public override string Region => "eu-west-1";

    protected override string Service => "transfer";

    protected override string ThrottlingCode => "ThrottlingException";

    /// <summary>Users per ListUsers page (small to exercise NextToken).</summary>
    public int PageSize { get; set; } = 1;

    public static Task<FakeTransfer> StartAsync() => StartAsync(new FakeTransfer());

    /// <summary>A user as DescribeUser would return it, or null.</summary>
    public JsonObject? User(string name) => users.TryGetValue(name, out var user) ? (JsonObject)user.DeepClone() : null;

    /// <summary>Changes a user behind the platform's back (drift), or adds one the platform did not create.</summary>
    public void Edit(string name, Action<JsonObject> edit)
    {
        lock (changing)
        {
            edit(users.GetOrAdd(name, n => new JsonObject { ["UserName"] = n, ["SshPublicKeys"] = new JsonArray(), ["Tags"] = new JsonArray() }));
        }
    }

    protected override async Task RouteAsync(HttpContext context, byte[] body)
    {
        var action = context.Request.Headers["X-Amz-Target"].ToString();
        if (context.Request.ContentType != "application/x-amz-json-1.1" || !action.StartsWith("TransferService.", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "SerializationException", "Expected application/x-amz-json-1.1 and an X-Amz-Target of TransferService.*");
            return;
        }

        var request = JsonNode.Parse(body)!.AsObject();
        if (request["ServerId"]?.GetValue<string>() != ServerId)
        {
            await ErrorAsync(context, 400, "ResourceNotFoundException", $"Unknown server: {request["ServerId"]}");
            return;
        }

        (int Status, string? Code, string Message, JsonObject? Answer) result;
        lock (changing)
        {
            result = Handle(action["TransferService.".Length..], request);
        }

        if (result.Code is not null)
        {
            await ErrorAsync(context, result.Status, result.Code, result.Message);
            return;
        }

        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync((result.Answer ?? []).ToJsonString());
    }

    protected override async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(new JsonObject { ["__type"] = $"com.amazonaws.transfer#{code}", ["Message"] = message }.ToJsonString());
    }

    private (int, string?, string, JsonObject?) Handle(string action, JsonObject request)
    {
        var name = request["UserName"]?.GetValue<string>() ?? "";
        if (action != "ListUsers" && !UserNamePattern().IsMatch(name))
        {
            return (400, "InvalidRequestException", $"1 validation error detected: Value '{name}' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w][\\w@.-]{{2,99}}$", null);
        }

        users.TryGetValue(name, out var user);
        if (action is not ("ListUsers" or "CreateUser") && user is null)
        {
            return (400, "ResourceNotFoundException", $"Unknown user: {name}", null);
        }

        switch (action)
        {
            case "CreateUser" when user is not null:
                return (400, "ResourceExistsException", $"User already exists: {name}", null);
            case "CreateUser" or "UpdateUser":
                if (Invalid(request) is { } problem)
                {
                    return (400, "InvalidRequestException", problem, null);
                }

                user ??= new JsonObject { ["UserName"] = name, ["Arn"] = $"arn:aws:transfer:eu-west-1:111122223333:user/{ServerId}/{name}", ["SshPublicKeys"] = new JsonArray(), ["Tags"] = request["Tags"]?.DeepClone() ?? new JsonArray() };
                foreach (var field in new[] { "Role", "HomeDirectoryType", "HomeDirectoryMappings", "PosixProfile" })
                {
                    if (request[field] is { } value)
                    {
                        user[field] = value.DeepClone();
                    }
                }

                users[name] = user;
                return request["SshPublicKeyBody"] is { } key ? Import(user, key.GetValue<string>(), name) : (200, null, "", new JsonObject { ["ServerId"] = ServerId, ["UserName"] = name });
            case "DescribeUser":
                return (200, null, "", new JsonObject { ["ServerId"] = ServerId, ["User"] = user!.DeepClone() });
            case "DeleteUser":
                users.TryRemove(name, out _);
                return (200, null, "", null);
            case "ImportSshPublicKey":
                return Import(user!, request["SshPublicKeyBody"]?.GetValue<string>() ?? "", name);
            case "DeleteSshPublicKey":
                var keys = user!["SshPublicKeys"]!.AsArray();
                var found = keys.FirstOrDefault(k => k!["SshPublicKeyId"]!.GetValue<string>() == request["SshPublicKeyId"]?.GetValue<string>());
                if (found is null)
                {
                    return (400, "ResourceNotFoundException", $"Unknown key: {request["SshPublicKeyId"]}", null);
                }

                keys.Remove(found);
                return (200, null, "", null);
            case "ListUsers":
                var ordered = users.Keys.Order(StringComparer.Ordinal).ToList();
                var start = request["NextToken"] is { } token ? int.Parse(token.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : 0;
                var page = new JsonObject
                {
                    ["ServerId"] = ServerId,
                    ["Users"] = new JsonArray(ordered.Skip(start).Take(PageSize).Select(n => (JsonNode)new JsonObject
                    {
                        ["UserName"] = n, ["Arn"] = users[n]["Arn"]?.DeepClone(), ["HomeDirectoryType"] = users[n]["HomeDirectoryType"]?.DeepClone(),
                        ["Role"] = users[n]["Role"]?.DeepClone(), ["SshPublicKeyCount"] = users[n]["SshPublicKeys"]!.AsArray().Count,
                    }).ToArray()),
                };
                if (start + PageSize < ordered.Count)
                {
                    page["NextToken"] = (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return (200, null, "", page);
            default:
                return (400, "InvalidAction", $"{action} is not an action of this fake", null);
        }
    }

    private (int, string?, string, JsonObject?) Import(JsonObject user, string body, string name)
    {
        var keys = user["SshPublicKeys"]!.AsArray();
        if (!KeyPattern().IsMatch(body))
        {
            return (400, "InvalidRequestException", "Unsupported or invalid SSH public key format", null);
        }

        if (keys.Count >= 50)
        {
            return (400, "ResourceExistsException", "The user already has the maximum of 50 SSH public keys.", null);
        }

        var material = string.Join(' ', body.Split(' ').Take(2));
        if (keys.Any(k => string.Join(' ', k!["SshPublicKeyBody"]!.GetValue<string>().Split(' ').Take(2)) == material))
        {
            return (400, "ResourceExistsException", "This SSH public key already exists for the user.", null);
        }

        var id = $"key-{Interlocked.Increment(ref keyIds):x17}";
        keys.Add(new JsonObject { ["SshPublicKeyId"] = id, ["SshPublicKeyBody"] = body, ["DateImported"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
        return (200, null, "", new JsonObject { ["ServerId"] = ServerId, ["UserName"] = name, ["SshPublicKeyId"] = id });
    }

    private static string? Invalid(JsonObject request)
    {
        if (request["Role"]?.GetValue<string>() is { } role && !RolePattern().IsMatch(role))
        {
            return $"Value '{role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.*role/\\S+";
        }

        if (request["HomeDirectoryType"]?.GetValue<string>() == "LOGICAL"
            && request["HomeDirectoryMappings"]?.AsArray().Any(m => m?["Entry"]?.GetValue<string>()?.StartsWith('/') != true || m["Target"]?.GetValue<string>()?.StartsWith('/') != true) != false)
        {
            return "HomeDirectoryMappings are required for LOGICAL home directories; each Entry and Target must start with '/'.";
        }

        return request["PosixProfile"] is { } posix && (posix["Uid"] is null || posix["Gid"] is null) ? "PosixProfile needs Uid and Gid." : null;
    }

    [GeneratedRegex(@"^[\w][\w@.-]{2,99}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"^arn:.*role/\S+$")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]+=*( [^\n]*)?$")]
    private static partial Regex KeyPattern();
}
