using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Agents.Disk;

namespace UdcBackup.Agents.Tests;

/// <summary>The controller's side of a disk agent transfer: posts the order asking for NDJSON and reads every line.</summary>
public static class TransferLines
{
    public static async Task<List<TransferLine>> PostAsync(HttpClient controller, Uri uri, TransferJobRequest order)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(order, options: JsonSerializerOptions.Web),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using var response = await controller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<TransferLine>(line, JsonSerializerOptions.Web)!)
            .ToList();
    }

    /// <summary>The final result line, after checking the answer's shape: resume first, progress lines, result last.</summary>
    public static TransferLine Result(List<TransferLine> lines)
    {
        lines.Should().HaveCountGreaterThanOrEqualTo(3);
        lines[0].Type.Should().Be(TransferLine.ResumeType);
        lines[^1].Type.Should().Be(TransferLine.ResultType, lines[^1].Error?.Detail);
        lines.Skip(1).SkipLast(1).Should().OnlyContain(l => l.Type == TransferLine.ProgressType && l.Progress != null);
        return lines[^1];
    }
}
