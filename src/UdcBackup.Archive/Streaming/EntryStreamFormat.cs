namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Constants of the framed entry wire format (docs/design/archive-format.md, "Entry stream"):
/// the magic "UDCE", a version byte, then frames <c>kind (1 byte) | varint length | payload</c>.
/// Version 1 is the original format; version 2 adds an <see cref="EntryEnd"/> frame after every
/// file's <see cref="EndOfContent"/>, so a sender can say after the content that the file changed
/// while it was read. Version 3 is version 2 with a CRC-32C instead of the SHA-256 in each
/// <see cref="EndOfContent"/> (see <see cref="TransitChecksum"/>). A writer uses version 2 or 3
/// only when the reader said it takes it.
/// </summary>
internal static class EntryStreamFormat
{
    public const byte Version = 1;

    /// <summary>The version with an <see cref="EntryEnd"/> frame after each file's content.</summary>
    public const byte VersionWithEntryEnd = 2;

    /// <summary>Version 2 whose <see cref="EndOfContent"/> carries the content's CRC-32C (4 bytes) instead of its SHA-256.</summary>
    public const byte VersionWithCrc = 3;

    /// <summary>The highest version this library writes and reads.</summary>
    public const byte Latest = VersionWithCrc;

    /// <summary>Entry metadata: a tree-codec entry record, then varint extent count and (offset, length) varints (count 0 = not sparse).</summary>
    public const byte Header = 1;

    /// <summary>Up to <see cref="MaxData"/> bytes of the current entry's content.</summary>
    public const byte Data = 2;

    /// <summary>End of the current entry's content: varint total length + the content's check value (32-byte SHA-256 in versions 1 and 2, 4-byte CRC-32C in version 3).</summary>
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
