namespace UdcBackup.Agents.Disk;

/// <summary>
/// The controller's order to a disk agent to move data with a media agent: which media agent
/// (address and system id, checked against its certificate), the job token the controller minted
/// for it, and either the paths to back up or the folder to restore into.
/// </summary>
public sealed record TransferJobRequest
{
    public required string JobId { get; init; }

    public required string MediaAgentUrl { get; init; }

    public required string MediaAgentId { get; init; }

    public required string Token { get; init; }

    /// <summary>Backup: paths inside the configured data paths.</summary>
    public string[] Paths { get; init; } = [];

    /// <summary>Restore: target folder inside one of the configured restore roots.</summary>
    public string? Target { get; init; }
}
