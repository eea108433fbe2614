namespace UdcBackup.Activities.Systems;

/// <summary>A data set of a system as plain data: name, paths and exclude patterns.</summary>
public sealed record DataSetSpec(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Excludes);
