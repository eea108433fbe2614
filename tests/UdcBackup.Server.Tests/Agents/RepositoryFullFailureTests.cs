using System.Net;
using System.Text;
using UdcBackup.Agents.Hosting;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Agents;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// A media agent whose repository is full answers 507 with the problem type
/// <see cref="AgentProblemTypes.NoSpace"/>: the repository stays full until an operator frees space,
/// so the activity's failure is not retryable, and its message names the repository (site name,
/// media agent, endpoint) and says to free space and run it again, whether the type comes as a
/// problem answer or in a transfer's NDJSON error line.
/// </summary>
public sealed class RepositoryFullFailureTests
{
    private const string DiskAgent = "the disk agent of sys-a at sys-a:7443";
    private const string Repository = "repository 'main' of media agent media-1 at media-1:7444";
    private const string Detail = "The media agent failed the transfer: The media agent answered 507: No space left in the repository /srv/udc/repo (No space left on device). No snapshot was saved";

    [Fact]
    public void A_full_repository_is_not_retried_and_names_the_repository_to_free()
    {
        var failure = AgentConnections.Failure(DiskAgent, "/v1/jobs/backup", 507, Detail, AgentProblemTypes.NoSpace, Repository);

        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.RepositoryFullErrorType);
        failure.Message.Should().Contain($"{Repository} has no space left").And.Contain("free space there").And.Contain("run it again")
            .And.Contain("/srv/udc/repo", "the media agent's detail names the folder on its host");
    }

    [Fact]
    public void A_507_without_the_type_is_retried_as_any_other_agent_failure()
    {
        var failure = AgentConnections.Failure(DiskAgent, "/v1/jobs/backup", 507, "Insufficient Storage");

        failure.NonRetryable.Should().BeFalse();
        failure.ErrorType.Should().Be(AgentConnections.FailedErrorType);
    }

    [Fact]
    public async Task A_transfer_error_line_of_the_no_space_type_is_not_retried()
    {
        using var answer = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(
                $$$"""
                {"type":"resume","progress":{"bytes":0,"files":0}}
                {"type":"error","error":{"status":507,"title":"The media agent failed the transfer","detail":"No space left in the repository /srv/udc/repo","type":"{{{AgentProblemTypes.NoSpace}}}"}}

                """,
                Encoding.UTF8,
                AgentConnections.NdJson),
        };

        var read = () => TransferAnswer.ReadAsync(answer, "backup", DiskAgent, "/v1/jobs/backup", _ => { }, CancellationToken.None, Repository);

        var failure = (await read.Should().ThrowAsync<ApplicationFailureException>()).Which;
        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.RepositoryFullErrorType);
        failure.Message.Should().Contain($"{Repository} has no space left").And.Contain("No space left in the repository /srv/udc/repo");
    }
}
