namespace DevPlatform.Compute.Local;

/// <summary>Finds a program on PATH, and says how to install the ones our default profiles use.</summary>
internal static class CommandHints
{
    private static readonly Dictionary<string, string> InstallHints = new(StringComparer.Ordinal)
    {
        ["jupyterhub-singleuser"] = "install it with: sudo apt-get install -y jupyterhub",
        ["code-server"] = "install it with npm (see docs/environments.md, 'VS Code profiles') and put it on PATH",
        ["python3"] = "install it with: sudo apt-get install -y python3",
        ["conda"] = "install Miniforge or Anaconda and put conda on PATH, or use pip bundles",
    };

    public static string? Resolve(string program, string? path)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        return (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    public static string NotInstalled(string program) =>
        $"'{program}' is not installed on this host" + (InstallHints.TryGetValue(Path.GetFileName(program), out var hint) ? $"; {hint}." : ".");
}
