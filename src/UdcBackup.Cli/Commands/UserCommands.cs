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
/// shown once), <c>udc user token list NAME</c> (ids, never secrets), <c>udc user token revoke NAME
/// ID</c>, <c>udc user role NAME --role ROLE</c>, <c>udc user password NAME</c> (standard input),
/// <c>udc user disable|enable|delete NAME</c> and <c>udc user audit [--limit N]</c> (who did
/// what). Managing users and reading the audit need an admin; a user may create, list and revoke
/// its own tokens. The last enabled admin can be neither disabled nor deleted.
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
        group.Subcommands.Add(Role(options));
        group.Subcommands.Add(Password(options));
        group.Subcommands.Add(Change(options, "disable", "Disable a user: its tokens and sessions are refused at once (open streams end), until enabled again.", u => $"api/users/{u}/disable", "disabled"));
        group.Subcommands.Add(Change(options, "enable", "Enable a disabled user again (its API tokens work again).", u => $"api/users/{u}/enable", "enabled"));
        group.Subcommands.Add(Change(options, "delete", "Delete a user and all its tokens; the audit log keeps its name.", u => $"api/users/{u}", "deleted"));
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

            var table = ConsoleView.Table("USER", "ROLE", "CREATED", "BY", "STATE");
            foreach (var u in JsonSerializer.Deserialize<List<UserInfo>>(answer, JsonOptions)!)
            {
                table.AddTextRow(u.User, u.Role, ConsoleView.Time(u.CreatedAt.UtcDateTime), u.CreatedBy ?? "(bootstrap)", u.Disabled ? "disabled" : "enabled");
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
        group.Subcommands.Add(TokenList(options));
        group.Subcommands.Add(TokenRevoke(options));
        return group;
    }

    private static Command TokenList(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "The user whose tokens to list." };
        var command = new Command("list", "List a user's API tokens and sign-in sessions by id (the tokens themselves are never stored).") { name };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var answer = await c.Client.GetAsync($"api/users/{Uri.EscapeDataString(c.Parse.GetValue(name)!)}/tokens", c.CancellationToken);
            if (c.Json)
            {
                await c.Output.WriteLineAsync(answer);
                return CliApp.Success;
            }

            var table = ConsoleView.Table("ID", "KIND", "LABEL", "CREATED", "EXPIRES", "LAST USED");
            foreach (var t in JsonSerializer.Deserialize<List<TokenInfo>>(answer, JsonOptions)!)
            {
                table.AddTextRow(t.Id, t.Kind, t.Label ?? string.Empty, ConsoleView.Time(t.CreatedAt.UtcDateTime), t.ExpiresAt is { } e ? ConsoleView.Time(e.UtcDateTime) : "never", t.LastUsedAt is { } u ? ConsoleView.Time(u.UtcDateTime) : "-");
            }

            ConsoleView.For(c.Output).Write(table);
            return CliApp.Success;
        }));
        return command;
    }

    private static Command TokenRevoke(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "The user the token belongs to." };
        var id = new Argument<string>("ID") { Description = "The token's id from udc user token list." };
        var command = new Command("revoke", "Revoke a token: requests with it are refused at once and its open streams end.") { name, id };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var user = c.Parse.GetValue(name)!;
            await c.Client.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}/tokens/{Uri.EscapeDataString(c.Parse.GetValue(id)!)}", c.CancellationToken);
            await c.Output.WriteLineAsync($"revoked token {c.Parse.GetValue(id)} of {user}");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command Role(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "The user." };
        var role = new Option<string>("--role") { Description = "viewer, operator or admin.", Required = true, HelpName = "ROLE" };
        role.AcceptOnlyFromAmong([.. RoleNames.All]);
        var command = new Command("role", "Change a user's role; its open live streams end and reconnect under the new role. The last enabled admin cannot be demoted.") { name, role };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var user = c.Parse.GetValue(name)!;
            var answer = await c.Client.PutAsync($"api/users/{Uri.EscapeDataString(user)}/role", new ChangeRoleRequest(c.Parse.GetValue(role)), c.CancellationToken);
            await c.Output.WriteLineAsync(c.Json && answer.Length > 0 ? answer : $"{user} is now {c.Parse.GetValue(role)}");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command Password(ClientOptions options)
    {
        var name = new Argument<string>("NAME") { Description = "The user." };
        var command = new Command("password", $"Set a user's password (at least {PasswordHasher.MinimumLength} characters, read from standard input or typed); its sign-in sessions end, its API tokens stay.") { name };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var user = c.Parse.GetValue(name)!;
            var password = await PasswordInput.ReadAsync($"New password for {user}: ", c.Error, c.CancellationToken);
            await c.Client.PostAsync($"api/users/{Uri.EscapeDataString(user)}/password", new SetPasswordRequest(password), c.CancellationToken);
            await c.Output.WriteLineAsync($"password set for {user}; its sign-in sessions ended");
            return CliApp.Success;
        }));
        return command;
    }

    private static Command Change(ClientOptions options, string verb, string description, Func<string, string> path, string done)
    {
        var name = new Argument<string>("NAME") { Description = "The user." };
        var command = new Command(verb, description) { name };
        command.SetAction(ClientAction.Create(options, async c =>
        {
            var user = c.Parse.GetValue(name)!;
            var target = path(Uri.EscapeDataString(user));
            _ = verb == "delete" ? await c.Client.DeleteAsync(target, c.CancellationToken) : await c.Client.PostAsync(target, null, c.CancellationToken);
            await c.Output.WriteLineAsync($"{done} {user}");
            return CliApp.Success;
        }));
        return command;
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
