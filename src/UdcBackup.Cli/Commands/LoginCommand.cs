using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Server.Auth;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc login --server URL --user NAME</c>: signs in with the password from standard input (or
/// typed without echo) and prints the session token, for <c>export UDC_TOKEN=$(udc login ...)</c>.
/// A wrong user or password exits 2 with the controller's message, which does not say which
/// (and no hint to sign in: this is the sign-in).
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var user = new Option<string>("--user") { Description = "User name.", Required = true, HelpName = "NAME" };
        var command = new Command("login", "Sign in (password on standard input, or typed) and print a session token to use with --token or UDC_TOKEN.") { user };
        options.AddTo(command);
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var password = await PasswordInput.ReadAsync("Password: ", c.Error, c.CancellationToken);
            var answer = await c.Client.PostAsync("api/auth/login", new LoginRequest(c.Parse.GetValue(user), password), c.CancellationToken);
            var result = JsonSerializer.Deserialize<LoginResult>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync(c.Json ? answer : result.Token);
            if (!c.Json)
            {
                await c.Error.WriteLineAsync($"Signed in as {result.User} ({result.Role}); the token is valid for {AuthEndpoints.SessionLifetime.TotalDays:0} days.");
            }

            return CliApp.Success;
        }, signsIn: true));
        return command;
    }
}
