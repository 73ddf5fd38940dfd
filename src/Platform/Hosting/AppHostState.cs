using System.Text.Json;

namespace DevPlatform.Hosting;

/// <summary>
/// Lets <c>doctor</c> run beside a running AppHost with no configuration: the AppHost publishes its private PostgreSQL's
/// connection string in <c>.devplatform/apphost.json</c> (mode 0600) while it runs, and this reads it when
/// <c>ConnectionStrings:Platform</c> is not set.
/// </summary>
internal static class AppHostState
{
    /// <summary>Configuration key under which the source of the connection string is noted for the doctor's report.</summary>
    public const string SourceKey = "Doctor:DatabaseSource";

    public static void UseWhenUnconfigured(IConfigurationManager configuration, string stateDirectory)
    {
        if (configuration.GetConnectionString("Platform") is { Length: > 0 })
        {
            return;
        }

        var path = Path.Combine(stateDirectory, "apphost.json");
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            var state = JsonSerializer.Deserialize<State>(File.ReadAllText(path));
            if (state?.ConnectionString is { Length: > 0 } connectionString && Directory.Exists($"/proc/{state.Pid}"))
            {
                configuration["ConnectionStrings:Platform"] = connectionString;
                configuration[SourceKey] = $"the running AppHost's (pid {state.Pid}, {state.Url}), from {path}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            configuration[SourceKey] = $"{path} could not be read ({e.Message})";
        }
    }

    private sealed record State(int Pid, string Url, string? ConnectionString);
}
