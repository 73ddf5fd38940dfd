using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Access;

/// <summary>Start-up refuses SFTP and DNS settings that cannot work, saying which setting and what to write.</summary>
public sealed class AccessSettingsTests
{
    [Theory]
    [InlineData("Sftp__Provider=ftp", "Sftp:Provider 'ftp' is not a known SFTP provider; known: openssh, transfer-family")]
    [InlineData("Sftp__Provider=openssh", "Sftp:Provider 'openssh' needs Sftp:Token")]
    [InlineData("Dns__Provider=powerdns", "Dns:Provider 'powerdns' is not a known DNS provider; known: rfc2136, route53")]
    [InlineData("Dns__Provider=route53", "Dns:Zone is empty; name the zone the records live in (e.g. example.org).")]
    [InlineData("Dns__Provider=rfc2136;Dns__Zone=example.org;Dns__Records__0__Name=hub.example.com;Dns__Records__0__Value=192.0.2.1", "Dns:Records:0:Name 'hub.example.com' is not in zone example.org.")]
    [InlineData("Dns__Provider=rfc2136;Dns__Zone=example.org;Dns__Records__0__Name=hub.example.org;Dns__Records__0__Value=hub", "Dns:Records:0 'A hub' is not an A (IPv4), AAAA (IPv6) or CNAME (host name) record.")]
    public async Task WrongSettings_StopStartUp_WithTheReason(string settings, string reason)
    {
        var database = await (await TestPostgres.SharedAsync()).CreateDatabaseAsync();
        await HostProcess.AssertRefusedAsync(database, PluginFolder.With(PluginFolder.BuiltIn),
            settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => s[1]), reason);
    }
}
