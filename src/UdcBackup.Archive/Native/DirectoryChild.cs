namespace UdcBackup.Archive.Native;

/// <summary>
/// One entry of a folder listed by <see cref="LinuxFileSystem.ListWithStatus"/>: its name and its
/// status, or the error that kept it from being stat'ed (it vanished, or cannot be read). A class,
/// not a tuple: lists and sorts of a reference type run the framework's precompiled shared code,
/// where a value tuple holding a <see cref="FileStatus"/> was compiled at run time on every start.
/// </summary>
public sealed record DirectoryChild(string Name, FileStatus? Status, IOException? Error);
