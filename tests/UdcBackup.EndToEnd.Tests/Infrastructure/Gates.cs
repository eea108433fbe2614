using System.Globalization;

namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Deterministic stopping points inside a running job, controlled by files. A gate named N is
/// closed while <c>N.hold</c> exists: whatever reaches it creates <c>N.reached</c> and waits until
/// the hold is removed, then goes on. Two kinds of things pass through gates:
/// <list type="bullet">
/// <item>the systems' scripts: the disk agents' script folder holds a wrapper per shipped script
/// (<c>postgresql-pre-backup</c> ...) that passes gate <c>NAME</c>, runs the shipped script, then
/// passes gate <c>NAME.after</c> before it returns the script's exit code (a crash "during" a
/// script with its effects already in place: the app suspended, backup mode on);</item>
/// <item>the firewall's nft writes: the site names <see cref="NftPrefix"/> as the firewall's
/// command prefix; it reads nft's JSON input and passes gate <c>nft-insert</c> (a window opening)
/// or <c>nft-delete</c> (a window closing) before running nft inside the firewall namespace, and
/// <c>nft-insert.after</c> / <c>nft-delete.after</c> once nft has run (the rule is in place or
/// gone, the window activity has not returned).</item>
/// </list>
/// So a test can hold a gate, wait until the job reaches it, kill the controller there, restart
/// it and release the gate, with no sleeps and no timing assumptions.
/// </summary>
public sealed class Gates
{
    private readonly string _folder;

    private Gates(string folder, string nftPrefix)
    {
        _folder = folder;
        NftPrefix = nftPrefix;
    }

    /// <summary>The site's nftables <c>commandPrefix</c>: the gate script, then <c>ip netns exec FW</c>.</summary>
    public string NftPrefix { get; }

    /// <summary>
    /// Writes the gate scripts: wrappers for every shipped script of <paramref name="shippedScripts"/>
    /// (<c>deploy/scripts</c>) into <paramref name="scriptFolder"/> named <c>KIND-SCRIPT</c>, and the
    /// nft prefix for <paramref name="firewallNamespace"/>.
    /// </summary>
    public static Gates Create(string folder, string scriptFolder, string shippedScripts, string firewallNamespace)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(scriptFolder);
        foreach (var kind in new[] { "postgresql", "app-suspend" })
        {
            foreach (var script in Directory.GetFiles(Path.Combine(shippedScripts, kind)).Where(f => !f.EndsWith(".sh", StringComparison.Ordinal)))
            {
                var name = $"{kind}-{Path.GetFileName(script)}";
                Write(Path.Combine(scriptFolder, name), $"""
                    #!/bin/bash
                    # Test gates around the shipped script: {name} before it, {name}.after once it has run.
                    g='{folder}/{name}'
                    if [ -e "$g.hold" ]; then touch "$g.reached"; while [ -e "$g.hold" ]; do sleep 0.05; done; fi
                    rc=0
                    '{script}' "$@" || rc=$?
                    if [ -e "$g.after.hold" ]; then touch "$g.after.reached"; while [ -e "$g.after.hold" ]; do sleep 0.05; done; fi
                    exit $rc

                    """);
            }
        }

        var nft = Path.Combine(folder, "nft-gate");
        Write(nft, $$"""
            #!/bin/bash
            # Test firewall prefix: window writes (insert/delete) pass their gate, then nft runs in the firewall.
            input=
            for a in "$@"; do [ "$a" = -f ] && { input=$(cat); break; }; done
            gate=
            case "$input" in *'"insert"'*) gate=nft-insert ;; *'"delete"'*) gate=nft-delete ;; esac
            if [ -n "$gate" ] && [ -e '{{folder}}'/$gate.hold ]; then
              touch '{{folder}}'/$gate.reached
              while [ -e '{{folder}}'/$gate.hold ]; do sleep 0.05; done
            fi
            rc=0
            if [ -n "$input" ]; then printf '%s\n' "$input" | ip netns exec '{{firewallNamespace}}' "$@" || rc=$?; else ip netns exec '{{firewallNamespace}}' "$@" </dev/null || rc=$?; fi
            if [ -n "$gate" ] && [ -e '{{folder}}'/$gate.after.hold ]; then
              touch '{{folder}}'/$gate.after.reached
              while [ -e '{{folder}}'/$gate.after.hold ]; do sleep 0.05; done
            fi
            exit $rc

            """);
        return new Gates(folder, nft);
    }

    /// <summary>Closes gate <paramref name="name"/> (and forgets that it was reached).</summary>
    public void Hold(string name)
    {
        File.Delete(Reached(name));
        File.WriteAllText(Path.Combine(_folder, name + ".hold"), string.Empty);
    }

    /// <summary>Opens gate <paramref name="name"/>: what waits there goes on.</summary>
    public void Release(string name) => File.Delete(Path.Combine(_folder, name + ".hold"));

    /// <summary>Opens every gate.</summary>
    public void ReleaseAll()
    {
        foreach (var hold in Directory.GetFiles(_folder, "*.hold"))
        {
            File.Delete(hold);
        }
    }

    /// <summary>Waits until something waits at gate <paramref name="name"/>.</summary>
    public Task WaitReachedAsync(string name, TimeSpan deadline, Func<string> context) =>
        Wait.UntilAsync(() => File.Exists(Reached(name)), deadline, string.Create(CultureInfo.InvariantCulture, $"gate {name} to be reached{Environment.NewLine}{context()}"));

    private string Reached(string name) => Path.Combine(_folder, name + ".reached");

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
