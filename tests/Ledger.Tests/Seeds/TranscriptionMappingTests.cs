using System.Text.Json.Nodes;
using Ledger.Api.Ingestion;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>
/// The packages are reproducible from the seed texts plus the reviewed mappings (data/seeds/mappings): drafting
/// again adds nothing and changes nothing.
/// </summary>
public class TranscriptionMappingTests
{
    public static TheoryData<string> Mappings() =>
        new(Directory.GetFiles(Repository.File("data", "seeds", "mappings"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static JsonObject Load(params string[] path) => JsonNode.Parse(File.ReadAllText(Repository.File(path)))!.AsObject();

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Drafting_again_from_the_text_and_the_mapping_reproduces_the_package(string mapping)
    {
        var map = Load("data", "seeds", "mappings", mapping);
        var source = map["source"]!.GetValue<string>();
        var package = Load("data", "seeds", mapping);
        var drafted = FactDrafter.Draft(SeedText.Lines(source), source, map, mapping);
        drafted.Should().NotBeEmpty();
        var (added, present, conflicts) = FactDrafter.Merge(package, drafted);
        conflicts.Should().BeEmpty();
        added.Should().Be(0, "every drafted fact is in the package");
        present.Should().Be(drafted.Count);
    }

    [Fact]
    public void A_row_the_mapping_misreads_is_an_error_naming_the_seed_line()
    {
        var map = Load("data", "seeds", "mappings", "688083.SH-AR2023.json");
        var source = map["source"]!.GetValue<string>();
        // 4087 cites note 七、78(1): a mapping that expects 七、78(2) is told where and what the row reads.
        var row = map["tables"]![0]!["rows"]!.AsArray().First(r => r!["label"]!.GetValue<string>() == "收到其他与经营活动有关的现金")!;
        row["note"] = "七、78(2)";
        var draft = () => FactDrafter.Draft(SeedText.Lines(source), source, map, "m.json");
        draft.Should().Throw<DraftException>().WithMessage("*004_766bdfec5c6b5b43.txt:4087: the row cites no note '七、78(2)' (it reads '七、78(1)')*");
    }

    [Fact]
    public void A_row_with_cells_that_the_mapping_leaves_out_is_an_error()
    {
        var map = Load("data", "seeds", "mappings", "688083.SH-AR2023.json");
        var source = map["source"]!.GetValue<string>();
        var rows = map["tables"]![0]!["rows"]!.AsArray();
        rows.Remove(rows.First(r => r!["label"]!.GetValue<string>() == "收到的税费返还"));
        var draft = () => FactDrafter.Draft(SeedText.Lines(source), source, map, "m.json");
        draft.Should().Throw<DraftException>().WithMessage("*004_766bdfec5c6b5b43.txt:4086: the row '收到的税费返还61,262,183.5735,549,687.02' is not in the mapping m.json $.tables[0]*");
    }

    [Fact]
    public void A_star_cell_the_mapping_does_not_skip_is_an_error_naming_the_seed_line()
    {
        var map = Load("data", "seeds", "mappings", "0020.HK-AR2023.json");
        var source = map["source"]!.GetValue<string>();
        // 003 line 1171: 行使超額配股權 * 692,807 – – 692,807 – 692,807; the share capital cell prints * (below RMB1,000).
        var table = map["tables"]!.AsArray().First(t => t!["id"]!.GetValue<string>() == "equity-2022")!;
        table["rows"]!.AsArray().First(r => r!["line"]!.GetValue<int>() == 1171)!.AsObject().Remove("skipCells");
        var draft = () => FactDrafter.Draft(SeedText.Lines(source), source, map, "m.json");
        draft.Should().Throw<DraftException>().WithMessage("*003_bbffb2fef796343d.txt:1171: column 'share-capital' prints '*'*must skip it*");
    }

    [Fact]
    public void A_spaced_row_with_another_number_of_cells_or_a_broken_cross_foot_is_an_error_naming_the_seed_line()
    {
        var map = Load("data", "seeds", "mappings", "0020.HK-AR2023.json");
        var source = map["source"]!.GetValue<string>();
        var ppe = map["tables"]!.AsArray().First(t => t!["id"]!.GetValue<string>() == "ppe-2023")!;
        // a ninth class left out of the cross-foot: every row's total (the ninth cell) no longer equals the classes
        ppe["checks"]![0]!["members"]!.AsArray().RemoveAt(0);
        var draft = () => FactDrafter.Draft(SeedText.Lines(source), source, map, "m.json", "ppe-2023");
        draft.Should().Throw<DraftException>().WithMessage("*003_bbffb2fef796343d.txt:1816: the row's cells*do not pass its check*");

        map = Load("data", "seeds", "mappings", "0020.HK-AR2023.json");
        var receivables = map["tables"]!.AsArray().First(t => t!["id"]!.GetValue<string>() == "receivables")!;
        receivables["columns"] = new JsonArray(new JsonObject { ["key"] = "2023", ["period"] = "2023-12-31" });
        draft = () => FactDrafter.Draft(SeedText.Lines(source), source, map, "m.json", "receivables");
        draft.Should().Throw<DraftException>().WithMessage("*003_bbffb2fef796343d.txt:1952: the row prints 2 cells ('62,236 80,673'), the table has 1 columns*");
    }

    [Fact]
    public void Merging_keeps_a_fact_already_there_and_reports_a_different_printed_value()
    {
        var package = new JsonObject { ["facts"] = new JsonArray(Fact("1.00")) };
        var (added, present, conflicts) = FactDrafter.Merge(package, [Fact("2.00"), Fact("3.00", line: 11)]);
        (added, present).Should().Be((1, 1));
        conflicts.Should().ContainSingle().Which.Should().Contain("$.facts[0] prints '1.00', the draft '2.00'");
        package["facts"]!.AsArray().Select(f => f!["printed"]!.GetValue<string>()).Should().Equal("1.00", "3.00");
    }

    private static JsonObject Fact(string printed, int line = 10) => new()
    {
        ["concept"] = "Revenue", ["period"] = "FY2023", ["scope"] = "consolidated", ["dims"] = new JsonObject(),
        ["printed"] = printed, ["location"] = new JsonObject { ["line"] = line },
    };
}
