namespace UdcBackup.Server.Configuration;

/// <summary>How long repeated failed sign-ins lock sign-in (see <c>SignInThrottle</c>); keys <c>SignIn:AddressLockoutSeconds</c>, <c>SignIn:UserLockoutSeconds</c>.</summary>
public sealed class SignInSettings
{
    /// <summary>How long a user is locked for one client address after too many failures from it.</summary>
    public int AddressLockoutSeconds { get; set; } = 300;

    /// <summary>How long a user is locked everywhere after too many failures from anywhere.</summary>
    public int UserLockoutSeconds { get; set; } = 900;
}
