namespace DevPlatform.Persistence.Migrations;

/// <summary>
/// Migrations are EF Core migrations whose DDL lives beside them as embedded .sql files. The registry
/// lacks the EF Core Design package (its dependencies are missing), so there is no `dotnet ef
/// migrations add`: write the next migration's SQL from `DevPlatform.Platform schema-script` and the
/// previous script, and the schema test proves migrations and model agree.
/// </summary>
internal static class MigrationSql
{
    public static string Read(string fileName)
    {
        var assembly = typeof(MigrationSql).Assembly;
        using var stream = assembly.GetManifestResourceStream($"DevPlatform.Persistence.Migrations.{fileName}")
            ?? throw new InvalidOperationException($"Migration script {fileName} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
