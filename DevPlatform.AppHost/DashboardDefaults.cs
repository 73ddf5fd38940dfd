namespace DevPlatform.AppHost;

/// <summary>
/// The dashboard's addresses when nothing set them (<c>dotnet DevPlatform.AppHost.dll</c> has no launch profile): the same
/// loopback ports as <c>Properties/launchSettings.json</c>, plain http (<c>ASPIRE_ALLOW_UNSECURED_TRANSPORT</c>) because
/// nothing leaves 127.0.0.1.
/// </summary>
internal static class DashboardDefaults
{
    private static readonly (string Name, string Value)[] Defaults =
    [
        ("ASPNETCORE_URLS", "http://127.0.0.1:18888"),
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://127.0.0.1:18889"),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://127.0.0.1:18890"),
        ("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true"),
    ];

    public static void Apply()
    {
        foreach (var (name, value) in Defaults)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
