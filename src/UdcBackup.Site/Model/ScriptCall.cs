namespace UdcBackup.Site.Model;

/// <summary>
/// A script the disk agent runs: a relative name inside its allowed script folder, arguments, and
/// environment variables (only names the disk agents admit, by default <c>UDC_*</c> and <c>PG*</c>, see
/// <see cref="ScriptContract.ScriptEnvironmentRule"/>) through which the shipped scripts are configured.
/// </summary>
public sealed record ScriptCall(string Name, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env)
{
    public override string ToString() => Args.Count == 0 ? Name : Name + " " + string.Join(' ', Args);
}
