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

    // Lines as ZWSOFT prints them (004 lines 5754, 1242, 306), in a text of their own.
    private static readonly string[] Notes =
    [
        "名称期末余额",
        "零星客户8,665,633.508,665,633.50100.00预计无法收回",
        "合计8,665,633.508,665,633.50100.00/",
        "软件行业82,335.805,191.9793.6937.62483.09减少4.82个百分点",
        "非流动性资产处置损益174,915.24七、68、73-9,401.2796,361.30",
    ];

    private static JsonObject Table(string id, int from, int to, JsonArray columns, JsonArray rows, Action<JsonObject>? more = null)
    {
        var table = new JsonObject { ["id"] = id, ["lines"] = new JsonArray(from, to), ["scale"] = "units", ["unit"] = "CNY", ["period"] = "FY2023", ["columns"] = columns, ["rows"] = rows };
        more?.Invoke(table);
        return table;
    }

    private static JsonObject Mapping(params JsonObject[] tables) => new() { ["source"] = "notes.txt", ["tables"] = new JsonArray(tables) };

    [Fact]
    public void Columns_may_name_the_concept_unit_and_scale_and_a_text_column_after_the_cells_is_named_by_the_mapping()
    {
        var columns = JsonNode.Parse("""
            [ { "key": "gross", "concept": "CurrentTradeReceivablesGross", "period": "2023-12-31" },
              { "key": "allowance", "concept": "AllowanceForCreditLossesOnTradeReceivables", "period": "2023-12-31" },
              { "key": "ratio", "concept": "LossAllowanceRatio", "period": "2023-12-31", "unit": "pure", "scale": "percent" } ]
            """)!.AsArray();
        var rows = JsonNode.Parse("""[ { "label": "零星客户", "dims": { "debtor": "sundry" } }, { "label": "合计" } ]""")!.AsArray();
        var facts = FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 1, 3, columns, rows, t => t["trailing"] = new JsonArray("预计无法收回", "/"))), "m.json");
        facts.Select(f => (f["concept"]!.GetValue<string>(), f["printed"]!.GetValue<string>(), f["unit"]!.GetValue<string>(), f["scale"]!.GetValue<string>(), f["location"]!["line"]!.GetValue<int>()))
            .Should().Equal(
                ("CurrentTradeReceivablesGross", "8,665,633.50", "CNY", "units", 2), ("AllowanceForCreditLossesOnTradeReceivables", "8,665,633.50", "CNY", "units", 2), ("LossAllowanceRatio", "100.00", "pure", "percent", 2),
                ("CurrentTradeReceivablesGross", "8,665,633.50", "CNY", "units", 3), ("AllowanceForCreditLossesOnTradeReceivables", "8,665,633.50", "CNY", "units", 3), ("LossAllowanceRatio", "100.00", "pure", "percent", 3));

        // Without the text named, the line ends in no cell: the row is not read, and the mapping's row matches nothing.
        var unnamed = () => FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 1, 3, columns.DeepClone().AsArray(), rows.DeepClone().AsArray(), t => t["trailing"] = new JsonArray("/"))), "m.json");
        unnamed.Should().Throw<DraftException>().WithMessage("*rows[0] ('零星客户') matches no line in notes.txt:1–3*");

        // A row and a column that both name a concept leave it open which is meant.
        var both = JsonNode.Parse("""[ { "label": "零星客户", "concept": "Revenue" }, { "label": "合计" } ]""")!.AsArray();
        var twice = () => FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 1, 3, columns.DeepClone().AsArray(), both, t => t["trailing"] = new JsonArray("预计无法收回", "/"))), "m.json");
        twice.Should().Throw<DraftException>().WithMessage("*rows[0]: the row names a concept and column 'gross' names 'CurrentTradeReceivablesGross'*");
    }

    [Fact]
    public void A_change_in_percentage_points_printed_in_words_is_the_last_cell_and_减少_makes_it_negative()
    {
        var columns = JsonNode.Parse("""
            [ { "key": "rev", "concept": "Revenue" }, { "key": "cost", "concept": "CostOfSales" },
              { "key": "gm", "concept": "GrossMargin", "unit": "pure", "scale": "percent" },
              { "key": "rchg", "concept": "YearOnYearChange", "unit": "pure", "scale": "percent" },
              { "key": "cchg", "concept": "YearOnYearChange", "unit": "pure", "scale": "percent" },
              { "key": "gmchg", "concept": "YearOnYearChangeInPercentagePoints", "unit": "pure", "scale": "percent" } ]
            """)!.AsArray();
        var rows = JsonNode.Parse("""[ { "label": "软件行业" } ]""")!.AsArray();
        var facts = FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 4, 4, columns, rows, t => t["pointsInWords"] = true)), "m.json");
        facts.Select(f => f["printed"]!.GetValue<string>()).Should().Equal("82,335.80", "5,191.97", "93.69", "37.62", "483.09", "4.82");
        facts[^1]["negated"]!.GetValue<bool>().Should().BeTrue();
        facts.Take(5).Should().OnlyContain(f => f["negated"] == null);

        // Not declared, the line ends in words and is no table row.
        var plain = () => FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 4, 4, columns.DeepClone().AsArray(), rows.DeepClone().AsArray())), "m.json");
        plain.Should().Throw<DraftException>().WithMessage("*rows[0] ('软件行业') matches no line*");
    }

    [Fact]
    public void Text_printed_between_the_cells_is_taken_out_when_the_pinned_row_names_it()
    {
        var columns = JsonNode.Parse("""[ { "key": "2023", "period": "FY2023" }, { "key": "2022", "period": "FY2022" }, { "key": "2021", "period": "FY2021" } ]""")!.AsArray();
        var rows = JsonNode.Parse("""[ { "label": "非流动性资产处置损益", "line": 5, "concept": "NonRecurringGainsLosses", "textInCells": "七、68、73" } ]""")!.AsArray();
        var facts = FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 5, 5, columns, rows)), "m.json");
        facts.Select(f => f["printed"]!.GetValue<string>()).Should().Equal("174,915.24", "-9,401.27", "96,361.30");

        var wrong = JsonNode.Parse("""[ { "label": "非流动性资产处置损益", "line": 5, "concept": "NonRecurringGainsLosses", "textInCells": "七、67" } ]""")!.AsArray();
        var misnamed = () => FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 5, 5, columns.DeepClone().AsArray(), wrong)), "m.json");
        misnamed.Should().Throw<DraftException>().WithMessage("*notes.txt:5: the row prints no '七、67' among its cells*");

        var unpinned = JsonNode.Parse("""[ { "label": "非流动性资产处置损益", "concept": "NonRecurringGainsLosses", "textInCells": "七、68、73" } ]""")!.AsArray();
        var open = () => FactDrafter.Draft(Notes, "notes.txt", Mapping(Table("t", 5, 5, columns.DeepClone().AsArray(), unpinned)), "m.json");
        open.Should().Throw<DraftException>().WithMessage("*rows[0].textInCells: text among the cells is named for one line: pin the row with 'line'*");
    }

    [Fact]
    public void A_column_read_but_not_recorded_needs_its_reason_in_the_mapping()
    {
        string[] text = ["其中:美元14,533,595.447.0827102,937,096.41"];
        var columns = JsonNode.Parse("""
            [ { "key": "fc", "unrecorded": "an amount in US dollars" },
              { "key": "rate", "concept": "ClosingExchangeRate", "unit": "pure", "fractionDigits": 4 },
              { "key": "cny", "concept": "MonetaryItemsDenominatedInForeignCurrency" } ]
            """)!.AsArray();
        var rows = JsonNode.Parse("""[ { "label": "其中:美元", "dims": { "currency": "USD" } } ]""")!.AsArray();
        var facts = FactDrafter.Draft(text, "notes.txt", Mapping(Table("t", 1, 1, columns, rows, t => t["period"] = "2023-12-31")), "m.json");
        facts.Select(f => (f["concept"]!.GetValue<string>(), f["printed"]!.GetValue<string>())).Should().Equal(
            ("ClosingExchangeRate", "7.0827"), ("MonetaryItemsDenominatedInForeignCurrency", "102,937,096.41"));

        // Without a reason, a column that records nothing must print a dash.
        var silent = JsonNode.Parse("""[ { "key": "fc", "record": false }, { "key": "rate", "concept": "ClosingExchangeRate", "unit": "pure", "fractionDigits": 4 }, { "key": "cny", "concept": "MonetaryItemsDenominatedInForeignCurrency" } ]""")!.AsArray();
        var lost = () => FactDrafter.Draft(text, "notes.txt", Mapping(Table("t", 1, 1, silent, rows.DeepClone().AsArray(), t => t["period"] = "2023-12-31")), "m.json");
        lost.Should().Throw<DraftException>().WithMessage("*notes.txt:1: no reading of the row gives 3 cells*");
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
