using System.Net;
using System.Text;
using UdcBackup.Agents.Hosting;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Agents;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// An agent's 5xx is retried, except damaged repository data (problem type
/// <see cref="AgentProblemTypes.DamagedData"/>): it reads the same on every try, so the failure is
/// not retryable and tells the operator that <c>udc archive verify</c> names what is damaged, whether
/// it comes as a problem answer or as the <c>type</c> of a transfer's NDJSON error line.
/// </summary>
public sealed class DamagedDataFailureTests
{
    private const string Who = "the media agent at media-1:7443";

    [Fact]
    public void Damaged_data_is_not_retried_and_points_to_archive_verify()
    {
        var failure = AgentConnections.Failure(Who, "/v1/snapshots/forget", 500, "The repository holds damaged data: snapshots/aaaa", AgentProblemTypes.DamagedData);

        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.DamagedDataErrorType);
        failure.Message.Should().Contain("damaged data").And.Contain("udc archive verify").And.Contain("snapshots/aaaa");
    }

    [Fact]
    public void Another_5xx_is_still_retried()
    {
        var failure = AgentConnections.Failure(Who, "/v1/snapshots/forget", 500, "The media agent failed to handle the request");

        failure.NonRetryable.Should().BeFalse();
        failure.ErrorType.Should().Be(AgentConnections.FailedErrorType);
    }

    [Fact]
    public async Task The_problem_type_is_read_from_the_answer()
    {
        using var problem = Answer($$"""{"type":"{{AgentProblemTypes.DamagedData}}","title":"The repository holds damaged data","status":500}""");
        using var plain = Answer("""{"title":"The media agent failed to handle the request","status":500}""");
        using var text = Answer("upstream broke");

        (await AgentConnections.ProblemTypeAsync(problem, CancellationToken.None)).Should().Be(AgentProblemTypes.DamagedData);
        (await AgentConnections.ProblemTypeAsync(plain, CancellationToken.None)).Should().BeNull();
        (await AgentConnections.ProblemTypeAsync(text, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_transfer_error_line_of_the_damaged_data_type_is_not_retried()
    {
        using var answer = Progress(
            """{"type":"resume","progress":{"bytes":0,"files":0}}""",
            $$$"""{"type":"error","error":{"status":500,"title":"The media agent failed the transfer","detail":"'/data/a.bin' cannot be read","type":"{{{AgentProblemTypes.DamagedData}}}"}}""");

        var read = () => TransferAnswer.ReadAsync(answer, "restore", "the disk agent of sys-a", "/v1/jobs/restore", _ => { }, CancellationToken.None);

        var failure = (await read.Should().ThrowAsync<ApplicationFailureException>()).Which;
        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.DamagedDataErrorType);
        failure.Message.Should().Contain("damaged data").And.Contain("udc archive verify").And.Contain("'/data/a.bin' cannot be read");
    }

    [Fact]
    public async Task A_transfer_error_line_without_a_type_is_retried_as_before()
    {
        using var answer = Progress("""{"type":"error","error":{"status":502,"title":"Transfer failed","detail":"connection reset"}}""");

        var read = () => TransferAnswer.ReadAsync(answer, "restore", "the disk agent of sys-a", "/v1/jobs/restore", _ => { }, CancellationToken.None);

        var failure = (await read.Should().ThrowAsync<ApplicationFailureException>()).Which;
        failure.NonRetryable.Should().BeFalse();
        failure.ErrorType.Should().Be(AgentConnections.FailedErrorType);
    }

    private static HttpResponseMessage Progress(params string[] lines) =>
        new(HttpStatusCode.OK) { Content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, AgentConnections.NdJson) };

    private static HttpResponseMessage Answer(string body) =>
        new(HttpStatusCode.InternalServerError) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
}
