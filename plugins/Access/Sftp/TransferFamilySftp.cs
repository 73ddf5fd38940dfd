using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Abstractions;
using DevPlatform.Plugins.Access.Aws;
using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Sftp;

/// <summary>
/// SFTP through an AWS Transfer Family server (<c>Sftp:TransferFamily</c>: ServerId, Role, FileSystemId, Region):
/// one service-managed user per platform account, its home a LOGICAL directory whose only entry <c>/</c> maps to the
/// user's folder on the EFS file system (so the user is locked into it), with the POSIX uid/gid the homes have.
/// Users the platform creates carry the tag <c>devplatform:managed=true</c>; others on the server are never changed.
/// </summary>
internal sealed class TransferFamilySftp(IConfiguration configuration) : ISftpProvider, IDisposable
{
    internal const string ManagedTag = "devplatform:managed";
    private static readonly string[] RequiredSettings = ["ServerId", "Role", "FileSystemId"];
    private readonly AwsClient aws = new(configuration.GetSection("Sftp:TransferFamily"), "transfer", "https://transfer.{region}.amazonaws.com", ReadError);

    public string Name => "transfer-family";

    public bool AsksTheHub => false;

    public string DisplayName => "AWS Transfer Family";

    public IReadOnlyDictionary<string, string> SetupFiles() => new Dictionary<string, string>();

    public async Task<SftpSync> SyncAsync(IReadOnlyList<SftpAccount> accounts, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var settings = Settings();
        var wanted = accounts.Where(a => only is null || only.Contains(a.User)).ToDictionary(a => a.User, StringComparer.Ordinal);
        var existing = only is null ? await ListUserNamesAsync(settings, cancellationToken) : only.ToList();
        int created = 0, updated = 0, deleted = 0, unchanged = 0;
        var left = new List<string>();
        foreach (var name in existing)
        {
            var user = await DescribeAsync(settings, name, cancellationToken);
            if (user is null)
            {
                continue;
            }

            if (!IsManaged(user))
            {
                left.Add(name);
                wanted.Remove(name);
                continue;
            }

            if (!wanted.Remove(name, out var account))
            {
                await CallAsync("DeleteUser", new JsonObject { ["ServerId"] = settings.ServerId, ["UserName"] = name }, cancellationToken);
                deleted++;
            }
            else if (await UpdateAsync(settings, user, account, cancellationToken))
            {
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        foreach (var account in wanted.Values)
        {
            await CreateAsync(settings, account, cancellationToken);
            created++;
        }

        return new SftpSync(created, updated, deleted, unchanged, left);
    }

    public void Dispose() => aws.Dispose();

    private async Task CreateAsync(TransferSettings settings, SftpAccount account, CancellationToken cancellationToken)
    {
        var request = UserFields(settings, account);
        request["Tags"] = new JsonArray(new JsonObject { ["Key"] = ManagedTag, ["Value"] = "true" });
        if (account.PublicKeys.Count > 0)
        {
            request["SshPublicKeyBody"] = account.PublicKeys[0];
        }

        await CallAsync("CreateUser", request, cancellationToken);
        foreach (var key in account.PublicKeys.Skip(1))
        {
            await ImportKeyAsync(settings, account.User, key, cancellationToken);
        }
    }

    /// <summary>Repairs the home mapping, POSIX profile and role, then adds missing keys and deletes keys no longer listed.</summary>
    private async Task<bool> UpdateAsync(TransferSettings settings, JsonNode user, SftpAccount account, CancellationToken cancellationToken)
    {
        var changed = false;
        var fields = UserFields(settings, account);
        var target = fields["HomeDirectoryMappings"]![0]!["Target"]!.GetValue<string>();
        if (user["HomeDirectoryType"]?.GetValue<string>() != "LOGICAL" || user["HomeDirectoryMappings"]?[0]?["Target"]?.GetValue<string>() != target
            || user["PosixProfile"]?["Uid"]?.GetValue<long>() != account.Uid || user["PosixProfile"]?["Gid"]?.GetValue<long>() != account.Gid
            || user["Role"]?.GetValue<string>() != settings.Role)
        {
            await CallAsync("UpdateUser", fields, cancellationToken);
            changed = true;
        }

        var present = (user["SshPublicKeys"]?.AsArray() ?? []).Select(k => (Id: k!["SshPublicKeyId"]!.GetValue<string>(), Key: KeyOf(k["SshPublicKeyBody"]!.GetValue<string>()))).ToList();
        var wanted = account.PublicKeys.ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var (id, key) in present.Where(p => !wanted.ContainsKey(p.Key)))
        {
            await CallAsync("DeleteSshPublicKey", new JsonObject { ["ServerId"] = settings.ServerId, ["UserName"] = account.User, ["SshPublicKeyId"] = id }, cancellationToken);
            changed = true;
        }

        foreach (var (key, line) in wanted.Where(w => present.All(p => p.Key != w.Key)))
        {
            await ImportKeyAsync(settings, account.User, line, cancellationToken);
            changed = true;
        }

        return changed;
    }

    private Task<JsonNode> ImportKeyAsync(TransferSettings settings, string user, string key, CancellationToken cancellationToken) =>
        CallAsync("ImportSshPublicKey", new JsonObject { ["ServerId"] = settings.ServerId, ["UserName"] = user, ["SshPublicKeyBody"] = key }, cancellationToken);

    private static JsonObject UserFields(TransferSettings settings, SftpAccount account) => new()
    {
        ["ServerId"] = settings.ServerId,
        ["UserName"] = account.User,
        ["Role"] = settings.Role,
        ["HomeDirectoryType"] = "LOGICAL",
        ["HomeDirectoryMappings"] = new JsonArray(new JsonObject { ["Entry"] = "/", ["Target"] = $"/{settings.FileSystemId}/{account.Home}" }),
        ["PosixProfile"] = new JsonObject { ["Uid"] = account.Uid, ["Gid"] = account.Gid },
    };

    /// <summary>Keys compare by type and base64 (Transfer Family drops or keeps comments as it likes).</summary>
    private static string KeyOf(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));

    private static bool IsManaged(JsonNode user) =>
        (user["Tags"]?.AsArray() ?? []).Any(t => t?["Key"]?.GetValue<string>() == ManagedTag && t["Value"]?.GetValue<string>() == "true");

    private async Task<List<string>> ListUserNamesAsync(TransferSettings settings, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? next = null;
        do
        {
            var request = new JsonObject { ["ServerId"] = settings.ServerId, ["MaxResults"] = 1000 };
            if (next is not null)
            {
                request["NextToken"] = next;
            }

            var page = await CallAsync("ListUsers", request, cancellationToken);
            names.AddRange((page["Users"]?.AsArray() ?? []).Select(u => u!["UserName"]!.GetValue<string>()));
            next = page["NextToken"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(next));

        return names;
    }

    private async Task<JsonNode?> DescribeAsync(TransferSettings settings, string user, CancellationToken cancellationToken)
    {
        try
        {
            return (await CallAsync("DescribeUser", new JsonObject { ["ServerId"] = settings.ServerId, ["UserName"] = user }, cancellationToken))["User"];
        }
        catch (SftpProviderException e) when (e.InnerException is AwsException { Code: "ResourceNotFoundException" })
        {
            return null;
        }
    }

    /// <summary>One JSON 1.1 call (<c>X-Amz-Target: TransferService.{action}</c>).</summary>
    private async Task<JsonNode> CallAsync(string action, JsonObject request, CancellationToken cancellationToken)
    {
        var body = request.ToJsonString();
        try
        {
            var answer = await aws.SendAsync(() =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, aws.BaseUrl) { Content = new StringContent(body, Encoding.UTF8) };
                message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
                message.Headers.Add("X-Amz-Target", $"TransferService.{action}");
                return message;
            }, cancellationToken);
            return JsonNode.Parse(answer.Length == 0 ? "{}" : answer) ?? new JsonObject();
        }
        catch (AwsException e)
        {
            throw new SftpProviderException($"AWS Transfer Family {action} for {request["UserName"]?.GetValue<string>() ?? "the server"} failed: {e.Message}", e);
        }
    }

    /// <summary>JSON protocol errors: <c>__type</c> (possibly <c>prefix#Code</c>) and <c>Message</c>/<c>message</c>.</summary>
    private static (string? Code, string? Message) ReadError(string body)
    {
        try
        {
            var error = JsonNode.Parse(body);
            var type = error?["__type"]?.GetValue<string>();
            return (type?[(type.LastIndexOf('#') + 1)..], (error?["Message"] ?? error?["message"])?.GetValue<string>());
        }
        catch (JsonException)
        {
            return (null, body.Length > 200 ? body[..200] : body);
        }
    }

    private TransferSettings Settings()
    {
        var section = configuration.GetSection("Sftp:TransferFamily");
        var missing = RequiredSettings.Where(k => string.IsNullOrWhiteSpace(section[k])).ToList();
        return missing.Count == 0
            ? new TransferSettings(section["ServerId"]!, section["Role"]!, section["FileSystemId"]!)
            : throw new SftpProviderException($"Sftp:Provider 'transfer-family' needs {string.Join(", ", missing.Select(m => "Sftp:TransferFamily:" + m))} " +
                "(the server's s-… id, the IAM role ARN that may use the EFS file system, and the fs-… id).");
    }

    private sealed record TransferSettings(string ServerId, string Role, string FileSystemId);
}
