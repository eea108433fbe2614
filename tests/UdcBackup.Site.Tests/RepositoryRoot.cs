namespace UdcBackup.Site.Tests;

/// <summary>Finds the repository root (the folder holding UdcBackup.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "UdcBackup.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"UdcBackup.sln not found above {AppContext.BaseDirectory}");
        }
    }
}
