namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>Fresh key pairs made by the real ssh-keygen in a folder of the test's.</summary>
public static class SshKeyFiles
{
    public const string SshKeygen = "/usr/bin/ssh-keygen";

    /// <summary>A new key pair: the private key's path and the public key's one-line form.</summary>
    public static async Task<(string PrivateKey, string PublicLine)> NewAsync(string folder, string type = "ed25519", string? bits = null, string comment = "alice@laptop")
    {
        var file = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        await CommandLine.SucceedAsync(SshKeygen, ["-q", "-t", type, .. bits is null ? Array.Empty<string>() : ["-b", bits], "-N", "", "-C", comment, "-f", file]);
        return (file, (await File.ReadAllTextAsync(file + ".pub")).Trim());
    }
}
