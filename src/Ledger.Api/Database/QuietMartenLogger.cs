using Marten;
using Marten.Services;
using Npgsql;

namespace Ledger.Api.Database;

/// <summary>
/// Marten's own command logging is off: its failure entry prints every SQL parameter verbatim, so a request value with
/// a newline in it (<c>?entity=%00%0Acrit:%20forged</c>) wrote a forged log line, and a value is the caller's data, not
/// ours to copy into a log. A failing command still throws; whoever handles the exception logs it, and Marten's exception
/// carries the SQL text (with $1 placeholders), never the values.
/// </summary>
public sealed class QuietMartenLogger : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;
    public void SchemaChange(string sql) { /* schema changes are Weasel's to report, at start-up */ }
    public void LogSuccess(NpgsqlCommand command) { /* nothing: see the class comment */ }
    public void LogFailure(NpgsqlCommand command, Exception ex) { /* nothing: the exception is thrown to a handler that logs it */ }
    public void LogSuccess(NpgsqlBatch batch) { /* nothing: see the class comment */ }
    public void LogFailure(NpgsqlBatch batch, Exception ex) { /* nothing: the exception is thrown to a handler that logs it */ }
    public void LogFailure(Exception ex, string message) { /* nothing: the exception is thrown to a handler that logs it */ }
    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { /* nothing: see the class comment */ }
    public void OnBeforeExecute(NpgsqlCommand command) { /* nothing: see the class comment */ }
    public void OnBeforeExecute(NpgsqlBatch batch) { /* nothing: see the class comment */ }
}
