namespace UdcBackup.Agents.Identity;

/// <summary>An enrollment was refused; <see cref="Reason"/> says why in a form the audit log keeps.</summary>
public sealed class EnrollmentRefusedException : Exception
{
    public EnrollmentRefusedException(EnrollmentRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the enrollment was refused.</summary>
    public EnrollmentRefusal Reason { get; }
}
