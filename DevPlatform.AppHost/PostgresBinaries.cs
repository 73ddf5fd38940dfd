namespace DevPlatform.AppHost;

/// <summary>Finds initdb, pg_ctl and postgres: on PATH, or in Debian's /usr/lib/postgresql/&lt;version&gt;/bin (newest first).</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl, string Postgres)
{
    public const string InstallHint = "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them: sudo apt-get install -y postgresql";

    public static PostgresBinaries? Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
                : []);
        foreach (var dir in candidates)
        {
            var initdb = Path.Combine(dir, "initdb");
            var pgctl = Path.Combine(dir, "pg_ctl");
            var postgres = Path.Combine(dir, "postgres");
            if (File.Exists(initdb) && File.Exists(pgctl) && File.Exists(postgres))
            {
                return new PostgresBinaries(initdb, pgctl, postgres);
            }
        }

        return null;
    }
}
