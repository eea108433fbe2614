namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// What a stream delivered: entries and file bytes in it (<see cref="Files"/>, <see cref="Bytes"/>),
/// content bytes that actually arrived, and files taken from what the media agent held.
/// <see cref="Changed"/> names the files the disk agent said changed while it read them (stored
/// as read, marked to be read again by the next backup).
/// </summary>
public sealed record StreamReceipt(string Stream, long Files, long Bytes, long ReceivedBytes, long HeldFiles, long HeldBytes)
{
    public IReadOnlyList<string> Changed { get; init; } = [];
}
