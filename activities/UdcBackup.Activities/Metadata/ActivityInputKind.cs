using System.Diagnostics.CodeAnalysis;

namespace UdcBackup.Activities.Metadata;

/// <summary>The type of an activity input as the designer's typed editors know it.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The member names are the type names of the metadata format (string, int ...), written lower-case on the wire.")]
public enum ActivityInputKind
{
    /// <summary>Free text.</summary>
    String,

    /// <summary>A whole number (JSON number without fraction).</summary>
    Int,

    /// <summary>A TCP/UDP port, 1-65535.</summary>
    Port,

    /// <summary>A time span written <c>[d.]hh:mm:ss</c> (what System.Text.Json writes for TimeSpan).</summary>
    Duration,

    /// <summary>The id of a protected system of the site (the designer offers a system picker).</summary>
    System,

    /// <summary>A script name relative to the disk agent's script folder (the designer offers the system's scripts).</summary>
    Script,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>Structured data (objects, lists) edited as JSON.</summary>
    Json,
}
