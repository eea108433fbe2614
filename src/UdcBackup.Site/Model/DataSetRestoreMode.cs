namespace UdcBackup.Site.Model;

/// <summary>What a restore does with what already lies under a data set's paths.</summary>
public enum DataSetRestoreMode
{
    /// <summary>The snapshot's files are written over what is there; files the snapshot does not hold stay.</summary>
    Merge,

    /// <summary>
    /// After the snapshot's files were all written, everything under the data set's paths that the
    /// snapshot does not hold is removed, so the folder is exactly the snapshot's (a database's data
    /// directory, where a stale WAL segment or lock file left beside the restored files is harmful).
    /// </summary>
    Replace,
}
