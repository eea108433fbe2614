namespace UdcBackup.Workflows.Backup;

/// <summary>A script of a system as plain workflow input.</summary>
public sealed record ScriptSpec(string Name, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);
