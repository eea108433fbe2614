namespace UdcBackup.Archive.Streaming;

/// <summary>
/// Constants of the framed entry wire format (docs/design/archive-format.md, "Entry stream"):
/// the magic "UDCE", version byte 1, then frames <c>kind (1 byte) | varint length | payload</c>.
/// </summary>
internal static class EntryStreamFormat
{
    public const byte Version = 1;

    /// <summary>Entry metadata: a tree-codec entry record, then varint extent count and (offset, length) varints (count 0 = not sparse).</summary>
    public const byte Header = 1;

    /// <summary>Up to <see cref="MaxData"/> bytes of the current entry's content.</summary>
    public const byte Data = 2;

    /// <summary>End of the current entry's content: varint total length + 32-byte SHA-256 of the content.</summary>
    public const byte EndOfContent = 3;

    /// <summary>End of the stream: varint number of entries sent.</summary>
    public const byte End = 4;

    public const int MaxData = 1 << 20;

    public static ReadOnlySpan<byte> Magic => "UDCE"u8;
}
