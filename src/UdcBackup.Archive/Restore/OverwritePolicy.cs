namespace UdcBackup.Archive.Restore;

/// <summary>What restore does with a file that already exists at the target.</summary>
public enum OverwritePolicy
{
    /// <summary>Replace it unless size and mtime already match the snapshot (makes restores resumable).</summary>
    IfChanged,

    /// <summary>Always replace it.</summary>
    Always,

    /// <summary>Never touch it.</summary>
    Never,
}
