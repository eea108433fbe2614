namespace UdcBackup.Durable;

/// <summary>Severity of a runtime log line (the host maps it onto its logger).</summary>
public enum DurableLogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}
