namespace UdcBackup.Site.Validation;

/// <summary>
/// One variable of a stored script call that the current script environment rule refuses: the
/// system, the script's key in the site file (<c>preBackup</c>, <c>postBackup</c>,
/// <c>stopPrograms</c>, <c>startPrograms</c>), the script's name, the variable (null when the
/// environment as a whole is too large) and the rule's reason.
/// </summary>
public sealed record ScriptEnvironmentProblem(string SystemId, string Script, string ScriptName, string? Variable, string Message)
{
    /// <summary>"system db-1, preBackup script postgresql/pre-backup, variable ACME_X: reason".</summary>
    public override string ToString() =>
        $"system {SystemId}, {Script} script {ScriptName}{(Variable is null ? string.Empty : $", variable {Variable}")}: {Message}";
}
