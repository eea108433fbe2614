using System.CommandLine;
using System.Text.Json;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;
using UdcBackup.Server.Auth;
using static UdcBackup.Cli.Client.ControllerClient;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc user create NAME --role viewer|operator|admin</c> (password on standard input),
/// <c>udc user list</c>, <c>udc user token create NAME [--label TEXT]</c> (prints a new API token,
/// shown once) and <c>udc user audit [--limit N]</c> (who did what). Creating users and reading
/// the audit need an admin; a user may create tokens for itself.
/// </summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var group = new Command("user", "Manage operators' accounts and API tokens; read the audit log.");
        options.AddTo(group);
        group.Subcommands.Add(CreateUser(options));
        group.Subcommands.Add(List(options));
        group.Subcommands.Add(Token(options));
        group.Subcommands.Add(Audit(options));
        return group;
    }

    private static Command CreateUser(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "User name (lowercase letters, digits, '.', '_', '-')." };
        var role = new Option<string>("--role") { Description = "viewer, operator or admin.", Required = true, HelpName = "ROLE" };
        role.AcceptOnlyFromAmong([.. RoleNames.All]);
        var command = new Command("create", $"Create a user; the password (at least {PasswordHasher.MinimumLength} characters) is read from standard input or typed.") { name, role };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var password = await PasswordInput.ReadAsync($"Password for {c.Parse.GetValue(name)}: ", c.Error, c.CancellationToken);
            var answer = await c.Client.PostAsync("api/users", new CreateUserRequest(c.Parse.GetValue(name), password, c.Parse.GetValue(role)), c.CancellationToken);
            var created = JsonSerializer.Deserialize<UserInfo>(answer, JsonOptions)!;
            await c.Output.WriteLineAsync(c.Json ? answer : $"created {created.User} ({created.Role})");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command List(ClientOptions options)
    {
        var command = new Command("list", "List users and their roles.");
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync("api/users", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var table = ConsoleView.Table("USER", "ROLE", "CREATED", "BY");
            foreach (var u in JsonSerializer.Deserialize<List<UserInfo>>(answer, JsonOptions)!)
            {
                table.AddTextRow(u.User, u.Role, ConsoleView.Time(u.CreatedAt.UtcDateTime), u.CreatedBy ?? "(bootstrap)");
            }

            ConsoleView.For(c.Output).Write(table);
            return CliApp.Success;
        }));
        return command;
    }

    private static Command Token(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "The user the token signs in as." };
        var label = new Option<string?>("--label") { Description = "What the token is for (kept with it).", HelpName = "TEXT" };
        var create = new Command("create", "Create an API token for a user and print it (it is shown only this once; it does not expire).") { name, label };
        create.SetAction(ClientAction.Create(options, async c =>
        {
            var user = c.Parse.GetValue(name)!;
            var answer = await c.Client.PostAsync($"api/users/{Uri.EscapeDataString(user)}/tokens", new CreateTokenRequest(c.Parse.GetValue(label)), c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json ? answer : JsonSerializer.Deserialize<TokenCreated>(answer, JsonOptions)!.Token);
            return CliApp.Success;
        }));
        var group = new Command("token", "API tokens of a user.");
        group.Subcommands.Add(create);
        return group;
    }

    private static Command Audit(ClientOptions options)
    {
        var limit = new Option<int>("--limit") { Description = "How many rows, newest first (1-1000).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var command = new Command("audit", "Show the audit log: every change request and every refused request, with the user.") { limit };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync($"api/audit?limit={c.Parse.GetValue(limit)}", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var table = ConsoleView.Table("TIME", "USER", "ROLE", "REQUEST", "ACTION", "TARGET", "STATUS");
            foreach (var a in JsonSerializer.Deserialize<List<AuditEntry>>(answer, JsonOptions)!)
            {
                table.AddTextRow(ConsoleView.Time(a.Time.UtcDateTime), a.User ?? "-", a.Role ?? "-", $"{a.Method} {a.Path}", a.Action, a.Target ?? string.Empty, a.Outcome.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            ConsoleView.For(c.Output).Write(table);
            return CliApp.Success;
        }));
        return command;
    }
}
