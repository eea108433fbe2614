using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/workflows</c>.</summary>
/// <param name="Type">A registered workflow type, e.g. <c>diag.steps</c>.</param>
/// <param name="Input">The workflow's input; any JSON value, or absent.</param>
/// <param name="Id">The workflow id; a new one is generated when absent.</param>
public sealed record StartWorkflowRequest(string? Type, JsonElement? Input, string? Id);
