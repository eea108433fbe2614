using System.Net;
using System.Text;
using UdcBackup.Agents.Hosting;
using UdcBackup.Server.Agents;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// An agent's 5xx is retried, except damaged repository data (problem type
/// <see cref="AgentProblemTypes.DamagedData"/>): it reads the same on every try, so the failure is
/// not retryable and tells the operator that <c>udc archive verify</c> names what is damaged.
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

    private static HttpResponseMessage Answer(string body) =>
        new(HttpStatusCode.InternalServerError) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
}
