using System.Text.Json;
using Ledger.Api.Http;
using Ledger.Api.Ingestion;
using Ledger.Api.Security;
using Ledger.Domain.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Ledger.Api.Imports;

/// <summary>The answer to an import: what the file held and what of it was new to the ledger.</summary>
public sealed record ImportResponse(string Entity, int Documents, int Recorded, int AlreadyInLedger, int Facts,
    IReadOnlyList<string> RecordedDocuments, string? FiscalYearEnd);

/// <summary>Imports of machine-readable filings: each document the ledger lacks, in one transaction; the ones it holds are left as they are.</summary>
public static class CompanyFactsImportEndpoint
{
    /// <summary>The body's type, before a byte of it is read.</summary>
    public static IResult Validate(HttpRequest request) =>
        RequestBodies.IsJson(request.ContentType) ? WolverineContinue.Result() : RequestBodies.NotJson("a company-facts file");

    /// <summary>
    /// One company's SEC company facts (the JSON https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json serves):
    /// each filing is a document. 200 with what was recorded (<c>"recorded": 0</c> when the ledger holds every filing).
    /// </summary>
    [EndpointSummary("Imports one company's SEC company facts (the JSON data.sec.gov serves, unchanged): each accession is a document {entity}/{accn} published on its filing date; only the filings the ledger lacks are recorded, in one transaction (200 with recorded 0 when it holds them all). Entity CIK##########; concepts keep their taxonomy names; fiscal calendar inferred from the annual reports; precision inferred from each value; 400 naming concept and accession of a fact with an unknown unit or a bad date.")]
    [ResponseExample("""{"entity":"CIK0001640147","documents":19,"recorded":19,"alreadyInLedger":0,"facts":8163,"recordedDocuments":["CIK0001640147/0001640147-20-000023","CIK0001640147/0001640147-21-000073"],"fiscalYearEnd":"--01-31"}""")]
    [ProblemAnswers(400, 409, 413, 415)]
    [WolverinePost("/api/imports/sec-companyfacts")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<ImportResponse>(StatusCodes.Status200OK, "application/json")]
    public static async Task<IResult> PostCompanyFacts(HttpRequest request, IMessageBus bus, IngestionSlots slots, CancellationToken ct)
    {
        using var slot = await slots.TryEnterAsync(ct);
        if (slot is null) return IngestionSlots.Busy();
        if (await RequestBodies.ReadAsync(request, DisclosureIngestion.MaxPackageBytes, ct) is not { } body) return DisclosureEndpoints.TooLarge("file", "import it with the import verb straight into the database");
        var recording = new Recording(DisclosureEndpoints.RecorderOf(request), "SEC company facts imported", CorrelationId: CorrelationIds.Of(request.HttpContext));
        return ImportEndpoints.AnswerTo(await bus.ImportCompanyFactsAsync(body, recording, ct), "The company facts are invalid; nothing was recorded.");
    }
}

/// <summary>An xBRL-JSON report imported: the documents it holds that the ledger lacks, in one transaction.</summary>
public static class XbrlReportImportEndpoint
{
    /// <summary>The body's type and the query's forms (<see cref="ReportOptionForms"/>), before a byte of the body is read.</summary>
    public static IResult Validate(HttpRequest request, string? publishedOn, string? language, string? standard, string? fiscalYearEnd) =>
        !RequestBodies.IsJson(request.ContentType) ? RequestBodies.NotJson("an xBRL-JSON report")
        : ReportOptionForms.FirstWrong(publishedOn, language, standard, fiscalYearEnd) is { } wrong ? Problems.BadRequest(wrong.Field, wrong.Detail)
        : WolverineContinue.Result();

    /// <summary>
    /// An OIM xBRL-JSON report (https://xbrl.org/2021/xbrl-json). A ledger's as-reported export
    /// (<c>GET /api/entities/{entity}/export?view=as-reported</c>) imports as the documents it names, with the entity it
    /// defines, and the query is not needed; any other report is one document, which the query names where the report does
    /// not (<see cref="XbrlReportReader"/>): <c>document</c> (<c>slug</c> or <c>{entity}/slug</c>) and <c>publishedOn</c>
    /// (yyyy-MM-dd) always, <c>kind</c> unless its cover page gives a form (<c>dei:DocumentType</c>), <c>entity</c> to
    /// override the <c>entity</c> dimension; <c>name</c>, <c>standard</c>, <c>currency</c>, <c>fiscalYearEnd</c> for an
    /// entity the ledger lacks, where the report does not show them (a blank name is as none given). 200 with what was
    /// recorded (<c>"recorded": 0</c> when the ledger holds every document); 400 naming the first things wrong (fact ids
    /// and concepts), nothing recorded.
    /// </summary>
    [EndpointSummary("Imports an OIM xBRL-JSON report. A ledger's as-reported export (export?format=xbrl-json&view=as-reported) imports as the documents and entity it defines, each fact in the document its ledger:ReportedIn names, cited values through the documents citing them; any other report is one document, named by the query where the report does not say it (document, publishedOn, kind; entity, name, standard, currency, fiscalYearEnd for an entity new to the ledger). Only the documents the ledger lacks are recorded, in one transaction (200 with recorded 0 when it holds them all); 400 naming fact id and concept of a fact with an unknown unit or period.")]
    [ResponseExample("""{"entity":"688083.SH","documents":1,"recorded":1,"alreadyInLedger":0,"facts":4207,"recordedDocuments":["688083.SH/AR2023"]}""")]
    [ProblemAnswers(400, 409, 413, 415)]
    [WolverinePost("/api/imports/xbrl-json")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<ImportResponse>(StatusCodes.Status200OK, "application/json")]
    public static async Task<IResult> PostXbrlReport(HttpRequest request, string? entity, string? document, string? publishedOn, string? kind, string? title,
        string? language, string? name, string? standard, string? currency, string? fiscalYearEnd, IMessageBus bus, IngestionSlots slots, CancellationToken ct)
    {
        using var slot = await slots.TryEnterAsync(ct);
        if (slot is null) return IngestionSlots.Busy();
        if (await RequestBodies.ReadAsync(request, DisclosureIngestion.MaxPackageBytes, ct) is not { } body) return DisclosureEndpoints.TooLarge("file", "import it with the import verb straight into the database");
        var recording = new Recording(DisclosureEndpoints.RecorderOf(request), "xBRL-JSON report imported", CorrelationId: CorrelationIds.Of(request.HttpContext));
        var options = new XbrlReportOptions(entity, document, publishedOn, kind, title, language, name, standard, currency, fiscalYearEnd);
        return ImportEndpoints.AnswerTo(await bus.ImportXbrlReportAsync(body, recording, ct, options), "The xBRL-JSON report is invalid; nothing was recorded.");
    }
}

/// <summary>An import's answer: 200 with what was recorded, 400 naming what is wrong, 409 when another import wrote at the same time.</summary>
public static class ImportEndpoints
{
    public static IResult AnswerTo(ImportResult r, string invalidTitle)
    {
        if (r.Invalid)
            return Problems.Result(Problems.Invalid(invalidTitle, "problem(s)", r.Errors!));
        if (r.Conflict is not null)
            return Problems.Result(StatusCodes.Status409Conflict, "Another import wrote the same documents; nothing was recorded.", r.Conflict);
        return Results.Json(new ImportResponse(r.Entity, r.Documents, r.Recorded, r.AlreadyInLedger, r.Facts, r.RecordedDocuments, r.FiscalYearEnd),
            Problems.Json, "application/json", StatusCodes.Status200OK);
    }
}
