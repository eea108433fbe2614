namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>Paths inside the repository, found from the test's output folder (the folder holding UdcBackup.sln).</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UdcBackup.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"UdcBackup.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>A shipped script, e.g. <c>Script("postgresql/pre-backup")</c>.</summary>
    public static string Script(string name) => Path.Combine(Root, "deploy", "scripts", name);
}
