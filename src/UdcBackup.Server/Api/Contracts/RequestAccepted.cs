namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of a request that was recorded and takes effect asynchronously (signal, cancel, pause...).</summary>
public sealed record RequestAccepted(string Id, string What);
