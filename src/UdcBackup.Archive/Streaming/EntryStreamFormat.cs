namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Constants of the framed entry wire format (docs/design/archive-format.md, "Entry stream"):
/// the magic "UDCE", a version byte, then frames <c>kind (1 byte) | varint length | payload</c>.
/// Version 1 is the original format; version 2 adds an <see cref="EntryEnd"/> frame after every
/// file's <see cref="EndOfContent"/>, so a sender can say after the content that the file changed
/// while it was read. A writer uses version 2 only when the reader said it takes it.
/// </summary>
internal static class EntryStreamFormat
{
    public const byte Version = 1;

    /// <summary>The version with an <see cref="EntryEnd"/> frame after each file's content.</summary>
    public const byte VersionWithEntryEnd = 2;

    /// <summary>Entry metadata: a tree-codec entry record, then varint extent count and (offset, length) varints (count 0 = not sparse).</summary>
    public const byte Header = 1;

    /// <summary>Up to <see cref="MaxData"/> bytes of the current entry's content.</summary>
    public const byte Data = 2;

    /// <summary>End of the current entry's content: varint total length + 32-byte SHA-256 of the content.</summary>
    public const byte EndOfContent = 3;

    /// <summary>End of the stream: varint number of entries sent.</summary>
    public const byte End = 4;

    /// <summary>Version 2, right after a file's <see cref="EndOfContent"/>: varint flags (<see cref="ChangedWhileReadFlag"/>; other bits reserved, zero).</summary>
    public const byte EntryEnd = 5;

    /// <summary>Flag of <see cref="EntryEnd"/>: the file changed while the sender read it (its bytes may mix old and new content).</summary>
    public const ulong ChangedWhileReadFlag = 1;

    public const int MaxData = 1 << 20;

    public static ReadOnlySpan<byte> Magic => "UDCE"u8;
}
