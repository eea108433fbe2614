using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/workflows/{id}/signals/{name}</c>.</summary>
public sealed record SignalRequest(JsonElement? Input);
