namespace UdcBackup.Agents.Identity;

/// <summary>The part a certificate's holder plays; bound into the certificate at enrollment.</summary>
public enum AgentRole
{
    /// <summary>A disk agent on a protected system.</summary>
    Disk,

    /// <summary>A media agent that owns archival storage in the controller zone.</summary>
    Media,

    /// <summary>The controller (cell manager).</summary>
    Controller,
}
