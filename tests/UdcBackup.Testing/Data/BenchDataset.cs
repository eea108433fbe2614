using UdcBackup.Testing.Processes;

namespace UdcBackup.Testing.Data;

/// <summary>
/// The shared benchmark dataset (<c>../shared/bench/make-dataset.py</c> beside the repository,
/// or the script named by <c>UDC_DATASET_SCRIPT</c>): deterministic folders of media, logs, many
/// small files and a sparse-ish disk image, generated into a folder at a given scale.
/// </summary>
public static class BenchDataset
{
    /// <summary>The generator script; fails with where it was looked for.</summary>
    public static string ScriptPath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("UDC_DATASET_SCRIPT");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : throw new InvalidOperationException($"UDC_DATASET_SCRIPT names {configured}, which does not exist");
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UdcBackup.sln")))
                {
                    // The shared folder sits beside the repository (../shared); a clone made
                    // deeper inside the same tree finds it in a further ancestor.
                    var first = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench", "make-dataset.py"));
                    for (var up = dir.Parent; up is not null; up = up.Parent)
                    {
                        var script = Path.Combine(up.FullName, "shared", "bench", "make-dataset.py");
                        if (File.Exists(script))
                        {
                            return script;
                        }
                    }

                    throw new InvalidOperationException($"The benchmark dataset script is not at {first} (nor in a shared folder further up); set UDC_DATASET_SCRIPT");
                }
            }

            throw new InvalidOperationException("No UdcBackup.sln above the test folder; set UDC_DATASET_SCRIPT to make-dataset.py");
        }
    }

    /// <summary>Generates the dataset at <paramref name="scale"/> into the new folder <paramref name="folder"/>.</summary>
    public static async Task GenerateAsync(string folder, double scale)
    {
        var python = Requirements.Program("python3", "python3");
        await ProcessRun.CheckedAsync([python, ScriptPath, folder, "--scale", scale.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromMinutes(10));
    }
}
