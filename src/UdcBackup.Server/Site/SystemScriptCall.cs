namespace UdcBackup.Server.Site;

/// <summary>A script configured for a system: its phase (<c>preBackup</c>, <c>postBackup</c>, <c>stopPrograms</c>, <c>startPrograms</c>), name and arguments.</summary>
public sealed record SystemScriptCall(string Phase, string Name, IReadOnlyList<string> Args);
