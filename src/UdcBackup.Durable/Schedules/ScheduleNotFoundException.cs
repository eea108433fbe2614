namespace UdcBackup.Durable.Schedules;

/// <summary>No schedule with the given id exists.</summary>
public sealed class ScheduleNotFoundException(string scheduleId)
    : Exception($"No schedule with id '{scheduleId}'.")
{
    public string ScheduleId { get; } = scheduleId;
}
