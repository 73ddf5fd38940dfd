using System.Security.Cryptography;
using System.Text.Json;

namespace DevPlatform.AppHost;

/// <summary>The private cluster's password and the admin token, made once and kept (mode 0600) in the state folder.</summary>
internal sealed record LocalSecrets(string PostgresPassword, string AdminToken)
{
    public static LocalSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "secrets.json");
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize<LocalSecrets>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is empty; delete it and the postgres folder beside it to start afresh.");
        }

        var secrets = new LocalSecrets(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }
}
