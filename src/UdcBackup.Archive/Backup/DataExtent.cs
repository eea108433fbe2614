namespace UdcBackup.Archive.Backup;

/// <summary>A region of a sparse file that holds data; everything outside the extents is a hole.</summary>
public readonly record struct DataExtent(long Offset, long Length);
