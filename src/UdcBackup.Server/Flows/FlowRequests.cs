using System.Text.Json;

namespace UdcBackup.Server.Flows;

/// <summary>Body of <c>PUT /api/flows/{id}/draft</c>: the whole document and the revision it was edited from.</summary>
public sealed record SaveDraftRequest(JsonElement? Definition, int? BaseRevision);
