using System.CommandLine;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc archive key list|add|remove|passwd</c>: the repository's password slots. Every command
/// first opens the repository with the current password (wrong password: exit 2, nothing changed);
/// a new password comes from <c>--new-password-file</c> or <c>UDC_ARCHIVE_NEW_PASSWORD</c>.
/// </summary>
internal static class ArchiveKeyCommand
{
    public const string NewPasswordVariable = "UDC_ARCHIVE_NEW_PASSWORD";

    public static Command Create(ArchiveOptions options)
    {
        var newPasswordFile = new Option<string?>("--new-password-file")
        {
            Description = $"File whose first line is the new password (default: the {NewPasswordVariable} environment variable).",
            HelpName = "FILE",
            Recursive = true,
        };
        var group = new Command("key", "Manage the repository's passwords (each wraps the same master key).") { newPasswordFile };
        group.Subcommands.Add(List(options));
        group.Subcommands.Add(Add(options, newPasswordFile));
        var id = new Argument<string>("ID") { Description = "Key id or unique prefix (see 'key list')." };
        var remove = new Command("remove", "Remove a password (not the last one, not the one in use).") { id };
        remove.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = c.Open();
            repository.Keys.Remove(c.Parse.GetValue(id)!);
            await (c.Json ? c.WriteJsonAsync(new { removed = c.Parse.GetValue(id) }) : c.Output.WriteLineAsync($"removed key {c.Parse.GetValue(id)}"));
            return CliApp.Success;
        }));
        group.Subcommands.Add(remove);
        var passwd = new Command("passwd", "Change the password in use (a new key is written, then the old one removed).");
        passwd.SetAction(ArchiveAction.Create(options, async c =>
        {
            var password = NewPassword(c, newPasswordFile);
            using var repository = c.Open();
            var old = repository.CurrentKeyId;
            var added = repository.Keys.ChangePassword(password);
            await (c.Json ? c.WriteJsonAsync(new { id = added, replaced = old }) : c.Output.WriteLineAsync($"password changed: key {added[..8]} replaces {old[..8]}"));
            return CliApp.Success;
        }));
        group.Subcommands.Add(passwd);
        return group;
    }

    private static Command List(ArchiveOptions options)
    {
        var list = new Command("list", "List the keys (password slots).");
        list.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = c.Open();
            var keys = repository.Keys.List();
            if (c.Json)
            {
                await c.WriteJsonAsync(keys.Select(k => new { id = k.Id, created = k.Created, host = k.Host, kdf = k.Kdf, iterations = k.Iterations, current = k.Current }));
                return CliApp.Success;
            }

            var table = ConsoleView.Table("", "ID", "Created", "Host", "KDF");
            foreach (var k in keys)
            {
                table.AddTextRow(k.Current ? "*" : "", k.Id[..8], ArchiveFormat.Time(k.Created), k.Host, $"{k.Kdf}, {k.Iterations} iterations");
            }

            ConsoleView.For(c.Output).Write(table);
            await c.Output.WriteLineAsync($"{keys.Count} key(s); * = the one this password opens");
            return CliApp.Success;
        }));
        return list;
    }

    private static Command Add(ArchiveOptions options, Option<string?> newPasswordFile)
    {
        var add = new Command("add", "Add a password that opens the repository too.");
        add.SetAction(ArchiveAction.Create(options, async c =>
        {
            var password = NewPassword(c, newPasswordFile);
            using var repository = c.Open();
            var added = repository.Keys.Add(password);
            await (c.Json ? c.WriteJsonAsync(new { id = added }) : c.Output.WriteLineAsync($"added key {added[..8]}"));
            return CliApp.Success;
        }));
        return add;
    }

    private static string NewPassword(ArchiveContext c, Option<string?> newPasswordFile) =>
        ArchiveAction.ReadSecret(c.Parse.GetValue(newPasswordFile), "--new-password-file", NewPasswordVariable);
}
