namespace UdcBackup.Site.Model;

/// <summary>
/// Paths backed up together. A data set with <see cref="AfterPostBackup"/> is streamed after the
/// post-backup script into the same snapshot: it carries what that script produces (for a
/// database, the backup label and WAL that make the copy restorable). <see cref="Restore"/> says
/// whether a restore merges into the paths (default) or replaces their content.
/// </summary>
public sealed record DataSet(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Excludes, bool AfterPostBackup, DataSetRestoreMode Restore = DataSetRestoreMode.Merge);
