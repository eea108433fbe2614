using System.Text.Json.Serialization;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// The part a certificate's holder plays; bound into the certificate at enrollment. On the wire it
/// is always its name (<c>"Disk"</c>), whatever enum handling the host's JSON options have, so an
/// agent and a controller configured differently still read each other's enrollment messages.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentRole>))]
public enum AgentRole
{
    /// <summary>A disk agent on a protected system.</summary>
    Disk,

    /// <summary>A media agent that owns archival storage in the controller zone.</summary>
    Media,

    /// <summary>The controller (cell manager).</summary>
    Controller,
}
