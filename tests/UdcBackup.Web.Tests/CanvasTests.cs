using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UdcBackup.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UdcBackup.Web.Tests;

/// <summary>
/// Canvas operations read from what the browser draws (node transforms, the viewport's
/// transform): multi-select and move, copy/paste of a selection with its inner edge, undo/redo of
/// a move, zoom and fit, and an auto-layout of a sequence that places every node below the node
/// it follows without overlaps.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CanvasTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Two_selected_nodes_move_together_undo_puts_them_back_and_a_pasted_selection_keeps_its_edge()
    {
        var page = await new DesignerTests(fixture).NewFlowAsync($"move-{Guid.NewGuid():N}"[..20]);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-wait").ClickAsync();
        await page.GetByTestId("palette-wait").ClickAsync();
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(2);

        // wait-1 and wait-2 selected together (Ctrl+click adds to the selection).
        await Canvas.SelectAsync(page, "wait-1");
        await Canvas.Node(page, "wait-2").ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        await Expect(page.Locator(".react-flow__node.selected")).ToHaveCountAsync(2);
        var start = await PositionAsync(page, "start");
        var one = await PositionAsync(page, "wait-1");
        var two = await PositionAsync(page, "wait-2");

        // Dragging one of them moves both by the same distance; the start node stays.
        var box = await Canvas.Node(page, "wait-1").BoundingBoxAsync() ?? throw new InvalidOperationException("wait-1 is not drawn");
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + 10);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width / 2) + 160, box.Y + 10 + 90, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        var movedOne = await PositionAsync(page, "wait-1");
        var movedTwo = await PositionAsync(page, "wait-2");
        (movedOne.X - one.X).Should().BeGreaterThan(50, "the drag moved the node to the right");
        (movedTwo.X - two.X).Should().BeApproximately(movedOne.X - one.X, 1, "the second selected node moved with the first");
        (movedTwo.Y - two.Y).Should().BeApproximately(movedOne.Y - one.Y, 1);
        (await PositionAsync(page, "start")).Should().Be(start, "an unselected node does not move");

        // One undo puts both back; redo moves them again.
        await page.Keyboard.PressAsync("Control+z");
        await Expect(Canvas.Node(page, "wait-2")).ToHaveAttributeAsync("style", new Regex(Regex.Escape(Transform(two))));
        (await PositionAsync(page, "wait-1")).Should().Be(one);
        await page.Keyboard.PressAsync("Control+Shift+z");
        await Expect(Canvas.Node(page, "wait-2")).ToHaveAttributeAsync("style", new Regex(Regex.Escape(Transform(movedTwo))));

        // The selection copied and pasted: two new nodes, selected, joined like the originals.
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(page.Locator(".fnode-wait")).ToHaveCountAsync(4);
        await Expect(page.Locator(".react-flow__node.selected")).ToHaveCountAsync(2);
        await Expect(Canvas.Node(page, "wait-3")).ToHaveClassAsync(new Regex(@"\bselected\b"));
        await Expect(page.Locator(".react-flow__edge[data-id='e-wait-3-next-wait-4']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Zooming_in_moves_nodes_out_of_view_and_fit_brings_every_node_back()
    {
        var page = await new DesignerTests(fixture).NewFlowAsync($"zoom-{Guid.NewGuid():N}"[..20]);
        await Canvas.SelectAsync(page, "start");
        for (var i = 0; i < 5; i++)
        {
            await page.GetByTestId("palette-wait").ClickAsync();
        }

        await Expect(page.Locator(".fnode-wait")).ToHaveCountAsync(5);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fit", Exact = true }).ClickAsync();
        var nodes = page.Locator(".react-flow__node");
        await ExpectAllInViewAsync(nodes);
        var fitted = await ViewportAsync(page);

        var zoomIn = page.Locator(".react-flow__controls-zoomin");
        for (var i = 0; i < 5; i++)
        {
            await zoomIn.ClickAsync();
        }

        await Expect(Canvas.Node(page, "wait-5")).Not.ToBeInViewportAsync();
        var zoomed = await ViewportAsync(page);
        zoomed.Should().NotBe(fitted, "zooming in changes the viewport's transform");

        await page.GetByRole(AriaRole.Button, new() { Name = "Fit", Exact = true }).ClickAsync();
        await ExpectAllInViewAsync(nodes);
        (await ViewportAsync(page)).Should().NotBe(zoomed, "fit changed the viewport back");
    }

    [Fact]
    public async Task A_sequence_with_a_body_validates_and_auto_layout_puts_each_node_below_the_one_it_follows()
    {
        var page = await new DesignerTests(fixture).NewFlowAsync($"seq-{Guid.NewGuid():N}"[..20]);
        await Canvas.SelectAsync(page, "start");
        await page.GetByTestId("palette-sequence").ClickAsync();
        await Expect(Canvas.Node(page, "sequence-1")).ToBeVisibleAsync();

        // A sequence without a body is a problem on the sequence node.
        var problems = page.GetByRole(AriaRole.List, new() { Name = "Problems" });
        await Expect(problems.Locator("li[data-node='sequence-1']")).ToContainTextAsync("body");

        // The body is a wait dropped beside it and joined through the body port; next is a second wait.
        await page.GetByTestId("palette-wait").DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = 700, Y = 120 } });
        await Canvas.ConnectAsync(page, "sequence-1", "wait-1", "body");
        await Canvas.SelectAsync(page, "sequence-1");
        await page.GetByTestId("palette-wait").ClickAsync();
        await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("problem-count")).ToHaveTextAsync("valid");

        await page.GetByRole(AriaRole.Button, new() { Name = "Auto-layout" }).ClickAsync();
        var boxes = new Dictionary<string, LocatorBoundingBoxResult>();
        foreach (var id in new[] { "start", "sequence-1", "wait-1", "wait-2" })
        {
            await Expect(Canvas.Node(page, id)).ToBeInViewportAsync();
            boxes[id] = await Canvas.Node(page, id).BoundingBoxAsync() ?? throw new InvalidOperationException($"{id} is not drawn");
        }

        boxes["sequence-1"].Y.Should().BeGreaterThan(boxes["start"].Y + boxes["start"].Height);
        boxes["wait-1"].Y.Should().BeGreaterThan(boxes["sequence-1"].Y + boxes["sequence-1"].Height);
        boxes["wait-2"].Y.Should().BeGreaterThan(boxes["sequence-1"].Y + boxes["sequence-1"].Height);
        Overlap(boxes["wait-1"], boxes["wait-2"]).Should().BeFalse("the body and the next step are laid out side by side");
        await DesignerTests.PublishAsync(page, 1);
    }

    private static async Task ExpectAllInViewAsync(ILocator nodes)
    {
        var count = await nodes.CountAsync();
        count.Should().BeGreaterThan(1);
        for (var i = 0; i < count; i++)
        {
            await Expect(nodes.Nth(i)).ToBeInViewportAsync(new() { Ratio = 0.99f });
        }
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static string Transform((double X, double Y) p) => $"translate({p.X.ToString(CultureInfo.InvariantCulture)}px, {p.Y.ToString(CultureInfo.InvariantCulture)}px)";

    // A node's flow position, as React Flow writes it into the node's transform.
    private static async Task<(double X, double Y)> PositionAsync(IPage page, string id)
    {
        var style = await Canvas.Node(page, id).GetAttributeAsync("style") ?? string.Empty;
        var m = TranslatePattern().Match(style);
        m.Success.Should().BeTrue($"node {id} has a transform: {style}");
        return (double.Parse(m.Groups["x"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<string> ViewportAsync(IPage page) =>
        await page.Locator(".react-flow__viewport").GetAttributeAsync("style") ?? string.Empty;

    [GeneratedRegex(@"translate\((?<x>-?[\d.]+)px, (?<y>-?[\d.]+)px\)")]
    private static partial Regex TranslatePattern();
}
