namespace UdcBackup.Archive;

/// <summary>The one exception type of the archive library; <see cref="Code"/> says what went wrong.</summary>
public sealed class ArchiveException : Exception
{
    public ArchiveException(ArchiveErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public ArchiveErrorCode Code { get; }

    /// <summary>Paths of files affected by the failure (damaged chunks, unreadable sources).</summary>
    public IReadOnlyList<string> AffectedPaths { get; init; } = [];
}
