namespace UdcBackup.Server.Auth;

/// <summary>What <see cref="AuthStore.RemoveUserAsync"/> did.</summary>
public enum UserRemoval
{
    /// <summary>Deleted or disabled.</summary>
    Done,

    /// <summary>There is no such user.</summary>
    NotFound,

    /// <summary>Refused: the user is the last enabled admin.</summary>
    LastAdmin,
}
