using Bunit;
using DevPlatform.WebConsole.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.UnitTests.Console;

/// <summary>The console's trickier components rendered with bUnit: what a person (or a screen reader) gets from them.</summary>
public sealed class ConsoleComponentTests : IDisposable
{
    private readonly BunitContext context = new();

    public void Dispose() => context.Dispose();

    [Fact]
    public void BarChart_DrawsBarsInProportion_WithTheValuesWrittenAndATitleForScreenReaders()
    {
        var chart = context.Render<BarChart>(p => p
            .Add(c => c.Id, "cost").Add(c => c.Title, "Cost by group")
            .Add(c => c.Bars, [new BarChart.Bar("physics", 300m), new BarChart.Bar("biology", 150m), new BarChart.Bar("idle", 0m)])
            .Add(c => c.Format, v => $"${v:0}"));

        var svg = chart.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("Cost by group", chart.Find("title#cost-title").TextContent);
        var widths = chart.FindAll("rect").Select(r => double.Parse(r.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(widths[0] / 2, widths[1], 1);
        Assert.Equal(0, widths[2]);
        Assert.Equal(["physics", "$300", "biology", "$150", "idle", "$0"], chart.FindAll("text").Select(t => t.TextContent));
    }

    [Fact]
    public void BarChart_WithNothingToShow_SaysSo()
    {
        var chart = context.Render<BarChart>(p => p.Add(c => c.Id, "x").Add(c => c.Title, "Empty").Add(c => c.Bars, []));
        Assert.Equal("Nothing to chart.", chart.Find("p").TextContent);
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void Pager_KeepsTheFilters_AndShowsWhereYouAre()
    {
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("http://localhost/admin/audit?actor=bob&offset=50");
        var pager = context.Render<Pager>(p => p.Add(c => c.Offset, 50).Add(c => c.Limit, 50).Add(c => c.Total, 120));

        var links = pager.FindAll("a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(["http://localhost/admin/audit?actor=bob&offset=0", "http://localhost/admin/audit?actor=bob&offset=100"], links);
        Assert.Contains("51–100 of 120", pager.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Pager_OnOnePage_RendersNothing() =>
        Assert.Empty(context.Render<Pager>(p => p.Add(c => c.Offset, 0).Add(c => c.Limit, 50).Add(c => c.Total, 12)).Markup.Trim());

    [Fact]
    public void ConfirmField_CarriesTheConfirmation_OnlyForTheFormThatAsked()
    {
        var asked = context.Render<ConfirmField>(p => p.Add(c => c.Form, "remove-laptop").Add(c => c.Awaiting, "remove-laptop"));
        Assert.Equal("yes", asked.Find("input[name=confirmed]").GetAttribute("value"));
        Assert.Equal("Press again to confirm.", asked.Find("[role=alert]").TextContent);

        var other = context.Render<ConfirmField>(p => p.Add(c => c.Form, "remove-desktop").Add(c => c.Awaiting, "remove-laptop"));
        Assert.Empty(other.FindAll("input"));
    }

    [Fact]
    public void LocalTime_GivesTheMachineReadableMoment_AndUtcWithoutScript()
    {
        var time = context.Render<LocalTime>(p => p.Add(c => c.Value, new DateTimeOffset(2026, 11, 30, 14, 5, 0, TimeSpan.FromHours(1))));
        var element = time.Find("time[data-local]");
        Assert.Equal("2026-11-30T14:05:00.0000000+01:00", element.GetAttribute("datetime"));
        Assert.Equal("2026-11-30 13:05 UTC", element.TextContent);
        Assert.Equal("never", context.Render<LocalTime>(p => p.Add(c => c.Value, null).Add(c => c.Empty, "never")).Find("span").TextContent);
    }

    [Fact]
    public void Meter_ExposesTheShareToAssistiveTechnology_AndMarksOverLimit()
    {
        var meter = context.Render<Meter>(p => p.Add(c => c.Label, "Group CPU").Add(c => c.Ratio, 1.5).Add(c => c.Text, "6 of 4 CPU in use"));
        var bar = meter.Find("[role=meter]");
        Assert.Equal("100", bar.GetAttribute("aria-valuenow"));
        Assert.Contains("over", bar.ClassList);
        Assert.Equal("6 of 4 CPU in use", meter.Find("small").TextContent);
    }
}
