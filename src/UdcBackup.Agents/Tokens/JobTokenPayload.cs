using System.Text.Json.Serialization;

namespace UdcBackup.Agents.Tokens;

/// <summary>The JSON shapes of a job token (short names keep the token compact).</summary>
internal sealed record JobTokenPayload
{
    [JsonPropertyName("v")]
    public required int Version { get; init; }

    [JsonPropertyName("jti")]
    public required string Nonce { get; init; }

    [JsonPropertyName("job")]
    public required string Job { get; init; }

    [JsonPropertyName("sub")]
    public required string Subject { get; init; }

    [JsonPropertyName("aud")]
    public required string Audience { get; init; }

    [JsonPropertyName("dir")]
    public required string Direction { get; init; }

    [JsonPropertyName("snap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Snapshot { get; init; }

    [JsonPropertyName("xsys")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JobTokenApproval? Approval { get; init; }

    [JsonPropertyName("iat")]
    public required long IssuedAt { get; init; }

    [JsonPropertyName("exp")]
    public required long ExpiresAt { get; init; }
}

/// <summary>JSON shape of a cross-system approval.</summary>
internal sealed record JobTokenApproval
{
    [JsonPropertyName("by")]
    public required string ApprovedBy { get; init; }

    [JsonPropertyName("target")]
    public required string Target { get; init; }
}

/// <summary>JSON shape of the token header.</summary>
internal sealed record JobTokenHeader
{
    [JsonPropertyName("alg")]
    public required string Algorithm { get; init; }

    [JsonPropertyName("typ")]
    public required string Type { get; init; }

    [JsonPropertyName("kid")]
    public required string KeyId { get; init; }
}
