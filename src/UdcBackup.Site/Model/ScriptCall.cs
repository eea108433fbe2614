namespace UdcBackup.Site.Model;

/// <summary>
/// A script the disk agent runs: a relative name inside its allowed script folder, arguments, and
/// environment variables (only <c>UDC_*</c> and <c>PG*</c> names, see
/// <see cref="Validation.SiteNames.IsScriptVariable"/>) through which the shipped scripts are configured.
/// </summary>
public sealed record ScriptCall(string Name, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env)
{
    public override string ToString() => Args.Count == 0 ? Name : Name + " " + string.Join(' ', Args);
}
