using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

/// <summary>
/// A figure's timelines on several dates, built once and cut where that gives the same (<see cref="FigureTimelinesAsOf"/>),
/// are the timelines built for each date (<see cref="FigureTimelineAsOf.Build"/>): a statement's stored lines are worked
/// out from the former, a figure read as of a date from the latter.
/// </summary>
public class FigureTimelinesAsOfTests
{
    private static readonly Period Year = Period.Parse("FY2021");

    // Two documents on one date, one a year later, and one known only by citation (no date of its own).
    private static readonly DocumentRef[] Documents =
    [
        new("annual-2021", new DateOnly(2022, 3, 20)),
        new("results-2021", new DateOnly(2022, 3, 20)),
        new("annual-2022", new DateOnly(2023, 3, 26)),
        new("prospectus-2021", null, KnownNoLaterThan: new DateOnly(2023, 3, 26), CitedBy: "annual-2022"),
        new("10-K/A-2021", new DateOnly(2022, 9, 1), Form: "10-K/A"),
    ];

    private static readonly Amount[] Values =
    [
        new(1_234_567m, "CNY", 0), new(1_235_000m, "CNY", -3), new(1_300_000m, "CNY", -3), new(null, "CNY", null, NilKind.NotApplicable),
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Cut_from_the_whole_timeline_or_built_for_the_date_they_are_the_same(int seed)
    {
        var random = new Random(seed);
        var cut = 0;
        for (var figure = 0; figure < 50; figure++)
        {
            var statements = Enumerable.Range(0, random.Next(1, 6)).Select(i => Stated(random, i)).ToList();
            var timelines = new FigureTimelinesAsOf(statements, Year);
            if (timelines.Cut) cut++;
            foreach (var asOf in DatesOf(statements))
                timelines.On(asOf).Should().BeEquivalentTo(FigureTimelineAsOf.Build(statements, Year, asOf), o => o.WithStrictOrdering(),
                    $"seed {seed}, figure {figure}, as of {asOf}: {string.Join("; ", statements.Select(s => $"{s.Kind} {s.Document.Id} {s.Document.PublishedOn} {s.Value.Value.Value}"))}");
        }
        // Both ways are compared: cut from the whole timeline, and built for each date where it cannot be cut.
        cut.Should().BeInRange(1, 49);
    }

    [Fact]
    public void A_document_given_two_dates_is_built_for_each_date()
    {
        List<StatedValue> statements =
        [
            Stated(Documents[0], StatementKinds.Disclosure, Values[0], 0),
            Stated(Documents[0] with { PublishedOn = new DateOnly(2023, 1, 5) }, StatementKinds.Restatement, Values[2], 1),
            Stated(Documents[2], StatementKinds.Disclosure, Values[1], 2),
        ];
        var timelines = new FigureTimelinesAsOf(statements, Year);
        timelines.Cut.Should().BeFalse();
        foreach (var asOf in DatesOf(statements))
            timelines.On(asOf).Should().BeEquivalentTo(FigureTimelineAsOf.Build(statements, Year, asOf), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_document_known_only_by_citation_is_built_for_each_date()
    {
        // Cited in 2023, knowable from the period's end: before annual-2021 (published in March 2022) by the date it is
        // knowable on, after it in knowledge order (the citing date).
        List<StatedValue> statements = [Stated(Documents[0], StatementKinds.Disclosure, Values[0], 0), Stated(Documents[3], StatementKinds.Cited, Values[2], 1)];
        var timelines = new FigureTimelinesAsOf(statements, Year);
        timelines.Cut.Should().BeFalse();
        foreach (var asOf in DatesOf(statements))
            timelines.On(asOf).Should().BeEquivalentTo(FigureTimelineAsOf.Build(statements, Year, asOf), o => o.WithStrictOrdering());
        timelines.On(Year.End).Should().ContainSingle().Which.DocumentId.Should().Be("prospectus-2021");
    }

    private static IEnumerable<DateOnly> DatesOf(IEnumerable<StatedValue> statements) =>
        statements.Select(s => FigureTimeline.KnownFrom(s.Document, Year))
            .SelectMany(d => new[] { d.AddDays(-1), d, d.AddDays(1) })
            .Append(DateOnly.MaxValue).Distinct().Order();

    private static StatedValue Stated(Random random, int sequence)
    {
        var document = Documents[random.Next(Documents.Length)];
        // A cited document's value is cited; another may state, restate or cite (an earlier document's value).
        var kind = document.PublishedOn is null ? StatementKinds.Cited
            : random.Next(3) switch { 0 => StatementKinds.Disclosure, 1 => StatementKinds.Restatement, _ => StatementKinds.Cited };
        // Now and then the same document with its date left out, as a citation before its own package gave it.
        if (document.PublishedOn is not null && random.Next(6) == 0) document = document with { PublishedOn = null, KnownNoLaterThan = new DateOnly(2023, 3, 26) };
        return Stated(document, kind, Values[random.Next(Values.Length)], sequence);
    }

    private static StatedValue Stated(DocumentRef document, string kind, Amount value, int sequence) =>
        new(kind, document, sequence, new Statement(value, value.Value?.ToString()), new Location(Table: "income", Row: "revenue", Line: sequence),
            kind == StatementKinds.Restatement ? [new RestatementReason(RestatementReasons.PolicyChange, "interpretation-16")] : [],
            null, null, kind == StatementKinds.Cited ? "annual-2022" : null, new Recording("test", "timelines"));
}
