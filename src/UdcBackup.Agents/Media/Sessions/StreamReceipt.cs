namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// What a stream delivered: entries and file bytes in it (<see cref="Files"/>, <see cref="Bytes"/>),
/// content bytes that actually arrived, and files taken from what the media agent held.
/// </summary>
public sealed record StreamReceipt(string Stream, long Files, long Bytes, long ReceivedBytes, long HeldFiles, long HeldBytes);
