using UdcBackup.Firewall.Processes;

namespace UdcBackup.Firewall.Nftables;

/// <summary>
/// Windows as nftables rules in the project's own table and base chain.
/// <para>
/// Why the project owns the port policy: in nftables every base chain on a hook is evaluated in
/// priority order, an <c>accept</c> only ends the chain it is in, and a <c>drop</c> in any chain is
/// final. An accept in our table therefore could never override a drop of the designated port in
/// a site's table. So the drop of each designated port lives in our managed chain
/// (<see cref="InstallAsync"/> adds <c>tcp dport P drop</c>, commented <c>udc:port-policy=P</c>),
/// a window is an accept rule inserted at the head of that chain (before the drop), and the
/// site's own tables must let the designated port through (no drop of it there). The site's
/// other rules still apply after ours, and nothing outside our table is ever read for changes or
/// modified.
/// </para>
/// <para>
/// Writes go to nft as JSON on standard input (values are data, not syntax); reads use
/// <c>nft -j -a list chain</c>. Closing deletes a handle only after checking that the rule with
/// that handle still carries the window's tag, so a stale handle never deletes another rule.
/// Snapshots are <c>nft -s list ruleset</c> (stateless: counters and quotas are left out, so live
/// traffic does not make two snapshots differ). Any nft failure becomes a
/// <see cref="FirewallException"/> carrying nft's error text.
/// </para>
/// </summary>
public sealed class NftablesFirewall : IFirewall
{
    private readonly NftablesOptions _options;
    private readonly ICommandRunner _runner;
    private readonly TimeProvider _time;

    public NftablesFirewall(NftablesOptions options, ICommandRunner? runner = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _runner = runner ?? new ProcessCommandRunner();
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>
    /// Creates the managed table and chain and the drop rule of each designated port, keeping
    /// whatever is already there (safe to run at every start). Run once when the firewall is set
    /// up, not per job: it changes the rule set.
    /// </summary>
    public async Task InstallAsync(CancellationToken cancellationToken = default)
    {
        await NftJsonAsync(NftablesJson.Commands(NftablesJson.AddTable(_options), NftablesJson.AddChain(_options)), "create the managed chain", cancellationToken);
        var rules = await ListChainAsync(cancellationToken);
        var missing = _options.DesignatedPorts
            .Where(p => !rules.Any(r => r.Comment == NftablesJson.PolicyComment(p)))
            .Select(p => NftablesJson.AddPolicyRule(_options, p))
            .ToArray();
        if (missing.Length > 0)
        {
            await NftJsonAsync(NftablesJson.Commands(missing), "add the designated port drop rules", cancellationToken);
        }
    }

    /// <summary>Deletes the managed table with every rule in it (uninstall).</summary>
    public async Task UninstallAsync(CancellationToken cancellationToken = default)
    {
        if (await ChainExistsAsync(cancellationToken))
        {
            await NftJsonAsync(NftablesJson.Commands(NftablesJson.DeleteTable(_options)), "delete the managed table", cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<FirewallWindow> OpenWindowAsync(FirewallWindowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_options.DesignatedPorts.Contains(request.Port))
        {
            throw new ArgumentException(
                $"Port {request.Port} is not a designated port of firewall '{Name}' ({string.Join(", ", _options.DesignatedPorts)})",
                nameof(request));
        }

        var rules = await ListChainAsync(cancellationToken);
        if (!rules.Any(r => r.Comment == NftablesJson.PolicyComment(request.Port)))
        {
            throw new FirewallException(
                $"Firewall '{Name}': the drop rule of port {request.Port} is missing from {Location}; install the firewall policy first");
        }

        // A retried open (the activity ran, the controller crashed before recording it) finds
        // its own rule instead of adding a second one.
        var existing = rules.FirstOrDefault(r => r.Comment == request.Tag && NftablesJson.ReadWindowRequest(r, request.JobId) == request);
        if (existing is not null)
        {
            return new FirewallWindow(Name, request.Tag, NftablesJson.HandleText(existing.Handle), request);
        }

        var echo = await NftJsonAsync(NftablesJson.Commands(NftablesJson.InsertWindowRule(_options, request)), $"open {request}", cancellationToken, echo: true);
        var inserted = NftablesJson.ReadRules(echo).SingleOrDefault()
            ?? throw new FirewallException($"Firewall '{Name}': nft did not echo the handle of the new rule for {request}");
        return new FirewallWindow(Name, request.Tag, NftablesJson.HandleText(inserted.Handle), request);
    }

    /// <inheritdoc />
    public async Task CloseWindowAsync(FirewallWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (!long.TryParse(window.Handle, out var handle))
        {
            throw new ArgumentException($"'{window.Handle}' is not an nftables rule handle", nameof(window));
        }

        if (!await ChainExistsAsync(cancellationToken))
        {
            return;
        }

        var rules = await ListChainAsync(cancellationToken);
        if (rules.Any(r => r.Handle == handle && r.Comment == window.Tag))
        {
            await NftJsonAsync(NftablesJson.Commands(NftablesJson.DeleteRule(_options, handle)), $"close window {window.Tag} (handle {handle})", cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FirewallWindow>> ListWindowsAsync(string tagPrefix = JobTag.Prefix, CancellationToken cancellationToken = default)
    {
        JobTag.ValidatePrefix(tagPrefix);
        if (!await ChainExistsAsync(cancellationToken))
        {
            return [];
        }

        var rules = await ListChainAsync(cancellationToken);
        return rules
            .Where(r => r.Comment is not null && r.Comment.StartsWith(tagPrefix, StringComparison.Ordinal) && JobTag.TryParse(r.Comment) is not null)
            .Select(r => new FirewallWindow(Name, r.Comment!, NftablesJson.HandleText(r.Handle), NftablesJson.ReadWindowRequest(r, JobTag.TryParse(r.Comment)!)))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<FirewallSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunNftAsync(["-s", "list", "ruleset"], null, cancellationToken);
        EnsureSucceeded(result, "list the rule set");
        return new FirewallSnapshot(Name, result.StandardOutput, _time.GetUtcNow());
    }

    private string Location => $"chain {_options.Family} {_options.Table} {_options.Chain}";

    private async Task<bool> ChainExistsAsync(CancellationToken cancellationToken)
    {
        var result = await RunNftAsync(["-j", "-f", "-"], NftablesJson.Commands(NftablesJson.ListChains(_options)), cancellationToken);
        EnsureSucceeded(result, "list chains");
        return NftablesJson.HasChain(result.StandardOutput, _options.Table, _options.Chain);
    }

    private async Task<IReadOnlyList<NftablesRule>> ListChainAsync(CancellationToken cancellationToken)
    {
        // Listing through JSON input too: names are data, so a table called like an nft keyword
        // (e.g. "missing") cannot break the command's syntax.
        var result = await RunNftAsync(["-j", "-a", "-f", "-"], NftablesJson.Commands(NftablesJson.ListChain(_options)), cancellationToken);
        if (!result.Succeeded && result.StandardError.Contains("No such file or directory", StringComparison.Ordinal))
        {
            throw new FirewallException($"Firewall '{Name}': {Location} does not exist; install the firewall policy first");
        }

        EnsureSucceeded(result, $"list {Location}");
        return NftablesJson.ReadRules(result.StandardOutput);
    }

    private async Task<string> NftJsonAsync(string json, string what, CancellationToken cancellationToken, bool echo = false)
    {
        string[] args = echo ? ["-j", "-e", "-a", "-f", "-"] : ["-j", "-f", "-"];
        var result = await RunNftAsync(args, json, cancellationToken);
        EnsureSucceeded(result, what);
        return result.StandardOutput;
    }

    private Task<CommandResult> RunNftAsync(string[] arguments, string? input, CancellationToken cancellationToken) =>
        _runner.RunAsync([.. _options.CommandPrefix, _options.NftPath, .. arguments], input, cancellationToken);

    private void EnsureSucceeded(CommandResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new FirewallException(
                $"Firewall '{Name}': could not {what}: '{result.CommandLine}' exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }
    }
}
