using System.Text.Json.Nodes;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ledger.Api.Http;

/// <summary>
/// Summaries and examples for the OpenAPI description, drawn from the seed data, so that a reader of
/// /openapi/v1.json sees what a real answer looks like.
/// </summary>
public static class OpenApiExamples
{
    private sealed record Doc(string Summary, string? Example = null, string? RequestExample = null, string Problems = "");

    private static readonly Dictionary<string, Doc> Operations = new(StringComparer.Ordinal)
    {
        ["GET health"] = new("Whether the service and its database answer: only status without a key; with any key also how many events it holds and which database is in use (no secrets).",
            """{"status":"ok","database":"ok","events":1093,"streams":881,"databaseSource":"embedded","databaseServer":"127.0.0.1:41011/ledger (/var/lib/ledger/pg)"}"""),
        ["POST api/disclosures"] = new("Loads one disclosure package atomically: 201 with counts; 200 with recorded 0 when already loaded; 409 for a different package of a loaded document unless marked as a correction; 400 naming every bad field.",
            """{"documentId":"0268.HK/PR2023","recorded":32,"facts":30,"restatements":0,"reconciliations":0,"warnings":[]}""",
            """{"document":{"id":"0268.HK/PR2023","entity":"0268.HK","kind":"press-release","title":"金蝶國際公佈 2023 年度業績","language":"zh-Hant","publishedOn":"2024-03-18"},"entities":[{"id":"0268.HK","names":{"zh-Hant":"金蝶國際軟件集團有限公司"},"standard":"HKFRS","currency":"CNY"}],"facts":[{"concept":"Revenue","period":"FY2023","printed":"約人民幣56.79億元","scale":"units","unit":"CNY","location":{"row":"錄得收入","line":18}}]}""", Problems: "400 409 413 415 422"),
        ["GET api/disclosures/schema"] = new("The JSON Schema of a disclosure package, for validating a package before posting it."),
        ["GET api/entities"] = new("The reporting companies in the ledger and the accounting policy changes they adopted.",
            """[{"id":"688083.SH","names":{"zh-Hans":"中望软件","en":"ZWSOFT"},"standard":"CAS","currency":"CNY","policyChanges":[{"id":"CAS-INTERP-16","title":"企业会计准则解释第16号","effectiveFrom":"2023-01-01","document":"688083.SH/AR2023"}]}]""", Problems: "400"),
        ["GET api/entities/{entity}/figures"] = new("An entity's figures: view=current (optionally asOf a date) or view=as-reported (optionally one document); period filters.",
            """{"entity":"3896.HK","view":"current","period":"FY2024","figures":[{"figure":"3896.HK|ProfitLoss|FY2024|consolidated","concept":"ProfitLoss","period":"FY2024","current":{"value":"-1979042000","unit":"CNY","decimals":"-3","approximate":false},"restated":false}]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/figures/{concept}/{period}"] = new("One figure: its current (or asOf) value, its original value, whether it was restated, and the document that last changed it. opening=true reads 2022-01-01 as the opening balance stored at 2021-12-31.",
            """{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","current":{"value":"6003513.77","unit":"CNY","decimals":"2","approximate":false},"original":{"value":"6301756.6","unit":"CNY","decimals":"2","approximate":false},"restated":true,"lastChangedBy":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false},"firstReportedIn":{"id":"688083.SH/AR2022","publishedOnUnknown":true,"knownNoLaterThan":"2024-04-26"},"lastReasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/figures/{concept}/{period}/history"] = new("A figure's audit history in knowledge order (publication date, then document): value, previous value, delta, reasons, document, published date (or unknown), recorded time and recorder.",
            """{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","entries":[{"kind":"disclosed","value":{"value":"6301756.6","unit":"CNY","decimals":"2"},"document":{"id":"688083.SH/AR2022","publishedOnUnknown":true,"knownNoLaterThan":"2024-04-26"}},{"kind":"restated","value":{"value":"6003513.77","unit":"CNY","decimals":"2"},"delta":"-298242.83","reasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}],"document":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false}}],"transcriptionCorrections":[]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/statements/{period}"] = new("An entity's period laid out like the report: the current value beside the value as originally reported (调整后 / 调整前), optionally asOf a date.",
            """{"entity":"688083.SH","period":"FY2022","lines":[{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","label":"归属于上市公司股东的净利润","current":{"value":"6003513.77","unit":"CNY","decimals":"2"},"asOriginallyReported":{"value":"6301756.6","unit":"CNY","decimals":"2"},"restated":true}]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/non-gaap/{measure}/{period}"] = new("Every reconciliation of a non-GAAP measure for a period: the GAAP start (checked against the ledger), each adjustment as printed, the recomputed and reported totals, and the verdict; translated columns checked against the document's rate.",
            """{"entity":"0020.HK","measure":"AdjustedEbitda","period":"FY2023","reconciliations":[{"dimensions":"","unit":"CNY","start":{"label":"EBITDA","concept":"Ebitda","value":{"value":"-5449600000","unit":"CNY","decimals":"-5"},"printed":"(5,449.6)"},"recomputedTotal":"-4369100000","reportedTotal":"-4369000000","verdict":"consistent-within-rounding","difference":"-100000","gap":"0"}]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/policy-changes/{policyChange}/reconciliation"] = new("For one entity and one accounting policy change: every affected line at every date (before, adjustment, after, as printed), the effects printed for the adoption year, and the identities checked.",
            """{"entity":"688083.SH","policyChange":{"id":"CAS-INTERP-16","effectiveFrom":"2023-01-01"},"dates":[{"period":"2022-12-31","lines":[{"concept":"DeferredTaxAssets","label":"递延所得税资产","before":{"value":"9355673.66","unit":"CNY","decimals":"2"},"adjustment":{"value":"3478315.66","unit":"CNY","decimals":"2"},"after":{"value":"12833989.32","unit":"CNY","decimals":"2"}}]}],"identities":[{"name":"balance-sheet-balances","period":"2022-12-31","scope":"consolidated","holds":true,"verdict":"consistent"}]}""", Problems: "400 404"),
        ["GET api/checks"] = new("Every failing or indeterminate consistency check (non-GAAP arithmetic and translations, policy-change identities, growth rates, margins and shares, duplicates, restatements that disagree, the calculations a document declares, signs against the concept's balance), for one entity or all; checks never block recording.",
            """{"entity":"688083.SH","count":1,"findings":[{"entity":"688083.SH","kind":"policy-change-identity","subject":"CAS-INTERP-16: equity-rolls-forward FY2023 consolidated","verdict":"inconsistent","detail":"Δ closing equity − Δ opening equity − Δ net profit = 0: off by 61485.18","gap":"61485.18"}]}""", Problems: "400 404"),
        ["GET api/entities/{entity}/export"] = new("An entity's figures for other tools: format=xbrl-json (Open Information Model; IFRS element names where the concept is one, ledger: extensions otherwise; superseded values on the IFRS restatement axis as previously stated) or format=csv (a header row, one fact per line); view=current (optionally asOf a date) or view=as-reported (each document's own values, on ledger:ReportedIn).",
            """{"documentInfo":{"documentType":"https://xbrl.org/2021/xbrl-json","namespaces":{"ifrs-full":"https://xbrl.ifrs.org/taxonomy/2025-03-27/ifrs-full","iso4217":"http://www.xbrl.org/2003/iso4217","xbrli":"http://www.xbrl.org/2003/instance","ledger":"urn:ledger:concepts","ticker":"urn:ledger:entity:exchange-ticker"},"ledger:view":"current"},"facts":{"f1":{"value":"6003513.77","decimals":2,"dimensions":{"concept":"ifrs-full:ProfitLossAttributableToOwnersOfParent","entity":"ticker:688083.SH","period":"2022-01-01T00:00:00/2023-01-01T00:00:00","unit":"iso4217:CNY"}},"f2":{"value":"6301756.6","decimals":2,"dimensions":{"concept":"ifrs-full:ProfitLossAttributableToOwnersOfParent","entity":"ticker:688083.SH","period":"2022-01-01T00:00:00/2023-01-01T00:00:00","unit":"iso4217:CNY","ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis":"ifrs-full:PreviouslyStatedMember"}}}}""",
            Problems: "400 404"),
        ["POST api/imports/xbrl-json"] = new("Imports an OIM xBRL-JSON report. A ledger's as-reported export (export?format=xbrl-json&view=as-reported) imports as the documents and entity it defines, each fact in the document its ledger:ReportedIn names, cited values through the documents citing them; any other report is one document, named by the query where the report does not say it (document, publishedOn, kind; entity, name, standard, currency, fiscalYearEnd for an entity new to the ledger). Only the documents the ledger lacks are recorded, in one transaction (200 with recorded 0 when it holds them all); 400 naming fact id and concept of a fact with an unknown unit or period.",
            """{"entity":"688083.SH","documents":1,"recorded":1,"alreadyInLedger":0,"facts":4207,"recordedDocuments":["688083.SH/AR2023"]}""",
            Problems: "400 409 413 415"),
        ["GET api/audit/checkpoint"] = new("The head of the tamper-evident log: the chain's sequence (events sealed), its SHA-256 hash, the event sequence (Marten seq_id) of the last sealed event and the time. Keep it outside the ledger; verify against it later.",
            """{"sequence":1511,"hash":"9c1e5f0a4b7d2e3f8a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f","eventSequence":1511,"sealedAt":"2026-11-29T03:02:13.98Z","at":"2026-11-29T09:00:00Z"}"""),
        ["GET api/audit/verify"] = new("Recomputes every event's digest and the whole hash chain from the events themselves and names the first event that breaks (sequence, event sequence, stream, version, kind: data-altered, metadata-altered, reordered, missing-event, missing-seal, seal-altered, unsealed-event); with from (a checkpoint's sequence) and hash, also whether the log still extends that checkpoint. Auditor, writer and admin keys.",
            """{"intact":true,"sequence":1511,"hash":"9c1e5f0a4b7d2e3f8a6b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f","events":1511,"seals":1511,"checkpoint":{"sequence":1093,"hash":"5d41402abc4b2a76b9719d911017c592ae2b4c1f0e9d8c7b6a5f4e3d2c1b0a99","recomputedHash":"5d41402abc4b2a76b9719d911017c592ae2b4c1f0e9d8c7b6a5f4e3d2c1b0a99","extended":true,"detail":"the events recomputed up to sequence 1093 give the checkpoint's hash: the log extends it"},"at":"2026-11-29T09:00:00Z","seconds":0.21}""", Problems: "400"),
        ["POST api/imports/sec-companyfacts"] = new("Imports one company's SEC company facts (the JSON data.sec.gov serves, unchanged): each accession is a document {entity}/{accn} published on its filing date; only the filings the ledger lacks are recorded, in one transaction (200 with recorded 0 when it holds them all). Entity CIK##########; concepts keep their taxonomy names; fiscal calendar inferred from the annual reports; precision inferred from each value; 400 naming concept and accession of a fact with an unknown unit or a bad date.",
            """{"entity":"CIK0001640147","documents":19,"recorded":19,"alreadyInLedger":0,"facts":8163,"recordedDocuments":["CIK0001640147/0001640147-20-000023","CIK0001640147/0001640147-21-000073"],"fiscalYearEnd":"--01-31"}""",
            Problems: "400 409 413 415"),
        ["GET api/entities/{entity}/documents"] = new("An entity's documents in publication order: kind (a report, announcement or SEC form), title, date, source, the filing an amendment amends, counts, who recorded it and when.",
            """[{"id":"CIK0001997711/0001997711-25-000030","entity":"CIK0001997711","kind":"20-F","title":"20-F filed 2025-04-02 (accession 0001997711-25-000030)","language":"en","publishedOn":"2025-04-02","facts":398,"restatements":0,"reconciliations":0,"transcriptionCorrections":0}]""",
            Problems: "404"),
        ["GET api/entities/{entity}/documents/{document}"] = new("One document of the entity, by the part of its id after the entity (/api/entities/CIK0001997711/documents/0001641172-25-002932).",
            """{"id":"CIK0001997711/0001641172-25-002932","entity":"CIK0001997711","kind":"20-F/A","title":"20-F/A filed 2025-04-07 (accession 0001641172-25-002932)","language":"en","publishedOn":"2025-04-07","amends":"CIK0001997711/0001997711-25-000030","facts":1,"restatements":0,"reconciliations":0,"transcriptionCorrections":0}""",
            Problems: "404"),
        ["GET api/entities/{entity}/documents/{document}/tables"] = new("The document's tables in printed order, read from what it states: id (the line of a table's first value), title, section, lines, rows and values.",
            """[{"id":"3746","title":"合并资产负债表 2023年12月31日 单位:元 币种:人民币","section":"第十节 财务报告 二、 财务报表","firstLine":3746,"lastLine":3850,"rows":48,"values":96}]""",
            Problems: "404"),
        ["GET api/entities/{entity}/documents/{document}/tables/{table}"] = new("One table laid out as printed: its columns, each row with its line and the values printed in it (printed text, value, figure); a 调整前 cell names the earlier document it belongs to, and current gives the figure's value now where it is no longer the one printed.",
            """{"document":"688083.SH/AR2023","id":"4190","title":"合并所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2023年度)","section":"第十节 财务报告 二、财务报表","columns":["实收资本(或股本)","盈余公积"],"rows":[{"label":"一、上年年末余额","line":4190,"cells":[{"column":"盈余公积","figure":"688083.SH|StatutorySurplusReserve|2022-12-31|consolidated","printed":"33,768,993.87","value":{"value":"33768993.87","unit":"CNY","decimals":"2","approximate":false},"kind":"cited","previouslyReportedIn":"688083.SH/AR2022","current":{"value":"33738465.28","unit":"CNY","decimals":"2","approximate":false}}]}]}""",
            Problems: "404"),
        ["POST api/admin/rebuild"] = new("Rebuilds every projection from the event log (admin keys only).",
            """{"rebuilt":[{"projection":"StatedValues","seconds":0.81}],"seconds":1.16}"""),
    };

    public const string SecuritySchemeName = "ApiKey";

    /// <summary>Every problem an operation can answer with; which ones apply follows from its policy and method.</summary>
    private static readonly Dictionary<string, string> ProblemDescriptions = new()
    {
        ["400"] = "Bad input: a problem document whose errors name each wrong field (JSON path or query parameter); nothing was recorded.",
        ["401"] = "No X-Api-Key (where reads without a key are not allowed), or a key this service does not know.",
        ["403"] = "The key's role does not include the one this operation needs (reader < auditor < writer < admin).",
        ["404"] = "Unknown entity, concept, period, figure, document or policy change.",
        ["409"] = "The document is already loaded from a different package (the differing figures are listed), or another load wrote it at the same time.",
        ["413"] = "The body is larger than the package limit (32 MiB); nothing was recorded.",
        ["415"] = "The body is not sent as application/json; nothing was recorded.",
        ["422"] = "The Idempotency-Key was already used with a different body.",
        ["429"] = "The key (or address, without a key) used up its requests for the minute; Retry-After says when to come back.",
        ["500"] = "An unexpected failure; the document quotes only the correlation id under which the log holds the details.",
        ["503"] = "The views are being rebuilt from the event log, the database does not answer, or (loading a package) every ingestion slot is busy; Retry-After says when to come back.",
    };

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas?.Remove("IResult");
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "An API key from Ledger:ApiKeys (role reader, auditor, writer or admin); the embedded default prints a generated writer key on its first start.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
            // An endpoint that answers with IResult has no schema to infer: its answers are described below, not as "IResult".
            foreach (var media in operation.Responses?.Values.SelectMany(r => r.Content?.Values ?? []) ?? [])
                if (media is OpenApiMediaType { Schema: OpenApiSchemaReference { Reference.Id: "IResult" } } typed) typed.Schema = null;
            if (!Operations.TryGetValue(key, out var doc)) return Task.CompletedTask;
            operation.Summary = doc.Summary;
            operation.Responses ??= new OpenApiResponses();
            if (doc.Example is not null)
            {
                // The schema inferred from an endpoint's response record stays; the example from the seeds goes beside it.
                var status = key.StartsWith("POST api/disclosures", StringComparison.Ordinal) ? "201" : "200";
                var inferred = operation.Responses.TryGetValue(status, out var r) && r.Content?.TryGetValue("application/json", out var m) == true ? m.Schema : null;
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = inferred, Example = JsonNode.Parse(doc.Example) } },
                };
            }
            if (doc.RequestExample is not null)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A disclosure package (see GET /api/disclosures/schema).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse(doc.RequestExample) } },
                };

            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault();
            var problems = new List<string>(doc.Problems.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!anonymous)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] }];
                problems.Add("401");
                if (policy is Policies.Verify or Policies.Write or Policies.Admin) problems.Add("403");
            }
            problems.Add("429");
            problems.Add("500");
            // Every /api route but the static schema waits out a rebuild of the views (Database/RebuildGate.cs).
            if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true && context.Description.RelativePath != "api/disclosures/schema")
                problems.Add("503");
            foreach (var status in problems.Distinct().Order(StringComparer.Ordinal))
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = ProblemDescriptions[status],
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
                };
            if (context.Description.HttpMethod == "GET" && key.StartsWith("GET api/", StringComparison.Ordinal))
                operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: the If-None-Match header named the response's current ETag." };
            return Task.CompletedTask;
        });
    }

    public static IEnumerable<string> DocumentedOperations => Operations.Keys;
}
