using System.Net;
using System.Text;
using UdcBackup.Agents.Hosting;
using UdcBackup.Durable.Failures;
using UdcBackup.Server.Agents;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// A disk agent whose restore target is full answers 507 with the problem type
/// <see cref="AgentProblemTypes.RestoreTargetNoSpace"/>: each retry would only fill the target
/// again, so the restore activity's failure is not retryable, and its message names the target and
/// the system it is on and says to free space there and run the restore again, whether the type
/// comes in the restore's NDJSON error line or as a problem answer. The media agent's full
/// repository met during a restore stays the repository's failure.
/// </summary>
public sealed class RestoreTargetFullFailureTests
{
    private const string DiskAgent = "the disk agent of sys-b at sys-b:7443";
    private const string RestoreTarget = "the restore target /srv/restore on system sys-b";
    private const string Detail = "No space left in the restore target /srv/restore (No space left on device). The files restored so far are complete and the unfinished one was removed; free space there and run the same restore again";

    [Fact]
    public async Task A_restore_error_line_of_the_restore_target_no_space_type_is_not_retried_and_names_the_target_and_system()
    {
        using var answer = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(
                $$$"""
                {"type":"resume","progress":{"bytes":0,"files":0}}
                {"type":"progress","progress":{"bytes":2097152,"files":2}}
                {"type":"error","error":{"status":507,"title":"The restore target has no space left","detail":"{{{Detail}}}","type":"{{{AgentProblemTypes.RestoreTargetNoSpace}}}"}}

                """,
                Encoding.UTF8,
                AgentConnections.NdJson),
        };

        var read = () => TransferAnswer.ReadAsync(answer, "restore", DiskAgent, "/v1/jobs/restore", _ => { }, CancellationToken.None, restoreTarget: RestoreTarget);

        var failure = (await read.Should().ThrowAsync<ApplicationFailureException>()).Which;
        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.RestoreTargetFullErrorType);
        failure.Message.Should().Contain($"{RestoreTarget} is full").And.Contain("free space there and run the restore again")
            .And.Contain("No space left in the restore target /srv/restore", "the disk agent's detail names the folder");
    }

    [Fact]
    public void A_restore_target_no_space_problem_is_not_retried()
    {
        var failure = AgentConnections.Failure(DiskAgent, "/v1/jobs/restore", 507, Detail, AgentProblemTypes.RestoreTargetNoSpace, restoreTarget: RestoreTarget);

        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.RestoreTargetFullErrorType);
        failure.Message.Should().StartWith($"{DiskAgent} failed /v1/jobs/restore (507): {RestoreTarget} is full");
    }

    [Fact]
    public void A_full_repository_met_by_a_restore_stays_the_repository_s_failure()
    {
        var failure = AgentConnections.Failure(DiskAgent, "/v1/jobs/restore", 507, "No space left in the repository /srv/udc/repo", AgentProblemTypes.NoSpace, restoreTarget: RestoreTarget);

        failure.NonRetryable.Should().BeTrue();
        failure.ErrorType.Should().Be(AgentConnections.RepositoryFullErrorType);
        failure.Message.Should().NotContain(RestoreTarget);
    }
}
