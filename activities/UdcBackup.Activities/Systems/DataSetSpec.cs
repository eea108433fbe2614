namespace UdcBackup.Activities.Systems;

/// <summary>
/// A data set of a system as plain data: name, paths and exclude patterns; <see cref="Replace"/>
/// makes a restore remove what the snapshot does not hold under the paths (the default merges).
/// </summary>
public sealed record DataSetSpec(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Excludes, bool Replace = false);
