namespace UdcBackup.Archive.Restore;

/// <summary>Where and what to restore.</summary>
public sealed record RestoreOptions
{
    /// <summary>Folder the snapshot paths are restored under; "/" restores to the original places.</summary>
    public required string Target { get; init; }

    public IReadOnlyList<string> Includes { get; init; } = [];

    public OverwritePolicy Overwrite { get; init; } = OverwritePolicy.IfChanged;

    /// <summary>Restore owners (needs root); by default only when running as root.</summary>
    public bool? RestoreOwner { get; init; }

    /// <summary>Files restored at once; more than the cores because cold pack reads and metadata calls wait on the disk.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount * 4;
}
