namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The repository the tests run from: the folder holding DevPlatform.sln above the test assembly.</summary>
public static class RepositoryFolder
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DevPlatform.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"DevPlatform.sln was not found above {AppContext.BaseDirectory}; the tests run inside the repository.");
    }
}
