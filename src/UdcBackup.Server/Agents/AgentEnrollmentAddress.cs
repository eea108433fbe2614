namespace UdcBackup.Server.Agents;

/// <summary>
/// Where an agent enrolls (<c>udc agent enroll --server</c>) and where its host came from:
/// <see cref="FromListener"/> (the agent listener names it), <see cref="FromRequest"/> (the listener
/// is on every address, so the host is the one the operator reached the controller's API by) or
/// <see cref="Placeholder"/> (neither is known: the host is <c>CONTROLLER</c>, to be replaced).
/// </summary>
public sealed record AgentEnrollmentAddress(string Url, string HostFrom)
{
    public const string FromListener = "listener";
    public const string FromRequest = "request";
    public const string Placeholder = "placeholder";

    /// <summary>The host written in place of a name the controller does not know.</summary>
    public const string PlaceholderHost = "CONTROLLER";
}
