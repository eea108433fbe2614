namespace UdcBackup.Durable.Failures;

/// <summary>
/// Raised inside workflow code by awaits (activities, timers, conditions, children) whose
/// cancellation token fired, typically because cancellation of the execution was requested.
/// A workflow whose run method ends with this (or an <see cref="OperationCanceledException"/>)
/// after a cancel request ends with status Canceled.
/// </summary>
public sealed class CanceledFailureException : FailureException
{
    public CanceledFailureException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
