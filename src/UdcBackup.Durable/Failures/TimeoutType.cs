namespace UdcBackup.Durable.Failures;

/// <summary>Which activity timeout fired.</summary>
public enum TimeoutType
{
    StartToClose = 1,
    ScheduleToClose = 2,
    Heartbeat = 3,
}
