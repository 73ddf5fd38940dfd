using System.Security.Cryptography;
using System.Text.Json;

namespace DevPlatform.AppHost;

/// <summary>
/// The private cluster's password, the admin token, and the secrets Prometheus and Alertmanager present to the platform:
/// made once and kept (mode 0600) in the state folder; a secret added by a newer AppHost is made on its first run.
/// </summary>
internal sealed record LocalSecrets(string PostgresPassword, string AdminToken, string MetricsToken, string WebhookSecret)
{
    public static LocalSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "secrets.json");
        var kept = File.Exists(path)
            ? JsonSerializer.Deserialize<Stored>(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty; delete it and the postgres folder beside it to start afresh.")
            : new Stored(null, null, null, null);
        var secrets = new LocalSecrets(
            kept.PostgresPassword ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            kept.AdminToken ?? Token(),
            kept.MetricsToken ?? Token(),
            kept.WebhookSecret ?? Token());
        if (kept != new Stored(secrets.PostgresPassword, secrets.AdminToken, secrets.MetricsToken, secrets.WebhookSecret))
        {
            Directory.CreateDirectory(stateDirectory);
            WriteOwnerOnly(path, JsonSerializer.Serialize(secrets));
        }

        return secrets;
    }

    /// <summary>Writes a file that carries a secret: readable by this user only (0600), whatever the umask.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        File.Delete(path); // UnixCreateMode applies only to a file this call creates
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static string Token() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    private sealed record Stored(string? PostgresPassword, string? AdminToken, string? MetricsToken, string? WebhookSecret);
}
