namespace UdcBackup.Server.Configuration;

/// <summary>The controller's settings are invalid; <see cref="Exception.Message"/> lists every problem, one a line.</summary>
public sealed class InvalidSettingsException : Exception
{
    public InvalidSettingsException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>One message per invalid setting, each starting with the setting's name.</summary>
    public IReadOnlyList<string> Problems { get; }
}
