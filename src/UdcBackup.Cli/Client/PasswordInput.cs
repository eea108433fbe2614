using System.Text;

namespace UdcBackup.Cli.Client;

/// <summary>
/// Reads a password for <c>udc login</c> and <c>udc user create</c>: the first line of standard
/// input when it is redirected (scripts: <c>udc login --user ops &lt; file</c>), otherwise typed
/// at the terminal without echo after a prompt on stderr. Passwords are never taken as options,
/// which would leave them in shell history and the process list.
/// </summary>
public static class PasswordInput
{
    public static async Task<string> ReadAsync(string prompt, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        string? password;
        if (Console.IsInputRedirected)
        {
            password = await Console.In.ReadLineAsync(cancellationToken);
        }
        else
        {
            await error.WriteAsync(prompt);
            password = ReadHidden();
            await error.WriteLineAsync();
        }

        return string.IsNullOrEmpty(password)
            ? throw new CliUsageException("no password given: type it when asked, or pipe it on standard input.")
            : password;
    }

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
