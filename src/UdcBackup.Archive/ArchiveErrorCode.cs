namespace UdcBackup.Archive;

/// <summary>Why an archive operation failed; callers map these to exit codes and messages.</summary>
public enum ArchiveErrorCode
{
    /// <summary>The caller passed something invalid (unknown snapshot, bad pattern, bad option).</summary>
    InvalidArgument,

    /// <summary>The folder is missing or is not an archive repository.</summary>
    NotARepository,

    /// <summary>No key of the repository opens with the given password.</summary>
    WrongPassword,

    /// <summary>Another process holds a lock that conflicts with this operation.</summary>
    Locked,

    /// <summary>Stored data failed an integrity check (hash, authentication tag, structure).</summary>
    DamagedRepository,

    /// <summary>Reading or writing the source or target failed.</summary>
    IoFailure,

    /// <summary>The repository already exists where one was to be created.</summary>
    AlreadyExists,

    /// <summary>The repository lies on a read-only file system: nothing can be written to it, a lock neither.</summary>
    ReadOnlyRepository,

    /// <summary>
    /// The file system being written (the repository's, or a restore target's) has no space, inodes
    /// or quota left: no retry helps until space is freed there; what was complete stays usable.
    /// </summary>
    NoSpace,
}
