using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Search attributes: derived by the host's <see cref="DurableRuntimeOptions.SearchAttributes"/> rules
/// at every start and written with the new run; and re-derived for every stored run at start-up when
/// the store's recorded rules version is not this runtime's (databases from before attributes, or
/// changed rules). The re-derivation runs before recovery, reading the runs newest first in pages
/// with the listing's own cursor and replacing each page's attributes in one transaction; the
/// version is recorded with the last page only, so a crash part way redoes it at the next start.
/// Rules that throw fail the start (a runtime that cannot label runs would list them wrongly).
/// </summary>
public sealed partial class DurableRuntime
{
    private const int ReindexPage = 500;

    private IReadOnlyList<SearchAttribute> SearchAttributesOf(string workflowType, JsonElement? input) =>
        options.SearchAttributes?.Of(workflowType, input) ?? [];

    private async Task ReindexSearchAttributesAsync(CancellationToken cancellationToken)
    {
        if (options.SearchAttributes is not { } rules || await Store.GetSearchAttributesVersionAsync(cancellationToken) == rules.Version)
        {
            return;
        }

        var count = 0;
        string? cursor = null;
        while (true)
        {
            var page = await Store.ListExecutionsAsync(new WorkflowListFilter(Limit: ReindexPage) { AfterRunId = cursor }, cancellationToken);
            var last = page.Count < ReindexPage;
            await Store.ReplaceSearchAttributesAsync(
                [.. page.Select(r => (r.RunId, rules.Of(r.WorkflowType, r.Input)))],
                last ? rules.Version : null,
                cancellationToken);
            count += page.Count;
            if (last)
            {
                break;
            }

            cursor = page[^1].RunId;
        }

        Log(DurableLogLevel.Information, $"Derived the search attributes of {count} stored runs with rules {rules.Version}.", null);
    }
}
