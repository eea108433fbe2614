using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UdcBackup.Testing.Agents;

/// <summary>
/// Enrolls an agent with a running controller the way an operator does: <c>udc agent token create</c>
/// against the controller's API (as admin), then <c>udc agent enroll</c> against its agent HTTPS
/// listener with the CA fingerprint the token command printed. The controller must have been
/// started with <see cref="ControllerEnvironment"/> so it has that listener.
/// </summary>
public static partial class AgentEnrollment
{
    /// <summary>Environment for <see cref="ServerProcess.StartAsync"/>: an agent HTTPS listener on a free loopback port.</summary>
    public static IDictionary<string, string> ControllerEnvironment { get; } = new Dictionary<string, string> { ["UDC_AGENTURLS"] = "https://127.0.0.1:0" };

    /// <summary>The controller's agent listener (the https address it logged), for <c>udc agent enroll --server</c>.</summary>
    public static Uri AgentAddress(ServerProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var match = HttpsListeningLine().Matches(server.Output).LastOrDefault()
            ?? throw new InvalidOperationException($"the controller logged no https listener; start it with AgentEnrollment.ControllerEnvironment{Environment.NewLine}{server.Output}");
        return new Uri(match.Groups["url"].Value);
    }

    /// <summary>Creates a token for <paramref name="role"/>:<paramref name="systemId"/> and enrolls into <paramref name="credentialsFolder"/>; returns the enroll output.</summary>
    public static async Task<string> EnrollAsync(ServerProcess server, string systemId, string role, string credentialsFolder)
    {
        ArgumentNullException.ThrowIfNull(server);
        var created = await server.RunCliAsync("agent", "token", "create", "--system", systemId, "--role", role, "--json");
        if (created.ExitCode != 0)
        {
            throw new InvalidOperationException($"udc agent token create failed: {created}");
        }

        using var answer = JsonDocument.Parse(created.Stdout);
        var token = answer.RootElement.GetProperty("token").GetString()!;
        var fingerprint = answer.RootElement.GetProperty("caSha256").GetString()!;
        using var process = Process.Start(UdcBinary.StartInfo(["agent", "enroll", "--server", AgentAddress(server).ToString(), "--token", token, "--ca-sha256", fingerprint, "--credentials", credentialsFolder]))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"udc agent enroll as {role}:{systemId} failed (exit {process.ExitCode}): {await stdout}{await stderr}");
        }

        return await stdout;
    }

    [GeneratedRegex(@"udc server listening on (?<url>https://\S+)")]
    private static partial Regex HttpsListeningLine();
}
