namespace UdcBackup.Server.Web;

/// <summary>The data of an <c>error</c> or <c>end</c> event on a live stream.</summary>
public sealed record LiveError(string Message);
