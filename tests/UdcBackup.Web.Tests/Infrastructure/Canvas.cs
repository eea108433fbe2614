using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>
/// Canvas gestures that wait for the designer to settle first. Loading or importing a flow fits
/// the view on the next animation frame (with a short animation), and a click that lands before
/// it ends hits the pane instead of the node; so a click is repeated until the node reports it is
/// selected, under a deadline, instead of sleeping.
/// </summary>
public static partial class Canvas
{
    public static ILocator Node(IPage page, string id) => page.Locator($".react-flow__node[data-id='{id}']");

    /// <summary>Clicks the node until it is selected (fitView may move it between clicks).</summary>
    public static async Task SelectAsync(IPage page, string id)
    {
        var node = Node(page, id);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Selected().IsMatch(await node.GetAttributeAsync("class") ?? string.Empty) && DateTime.UtcNow < deadline)
        {
            await node.ClickAsync();
            await page.WaitForFunctionAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
        }

        await Expect(node).ToHaveClassAsync(Selected());
    }

    /// <summary>
    /// Drags from a node's port handle to another node's target handle until the edge exists: a
    /// drag that starts while the view still moves (a fit, a layout) ends beside the handle.
    /// </summary>
    public static async Task ConnectAsync(IPage page, string source, string target, string port = "next")
    {
        var edge = page.Locator($".react-flow__edge[data-id='e-{source}-{port}-{target}']");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await edge.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Node(page, source).Locator($".react-flow__handle.source[data-handleid='{port}']")
                .DragToAsync(Node(page, target).Locator(".react-flow__handle.target"));
            await page.WaitForFunctionAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
        }

        await Expect(edge).ToHaveCountAsync(1);
    }

    [GeneratedRegex(@"\bselected\b")]
    private static partial Regex Selected();
}
