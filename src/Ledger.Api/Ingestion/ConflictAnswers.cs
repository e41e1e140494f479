using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>A write that met another at commit, carrying the answer its caller gives instead of an error (409, "try again").</summary>
public interface IConflictAnswer<out TAnswer>
{
    TAnswer Answer { get; }
}

public static class ConflictAnswers
{
    /// <summary>
    /// Sends a command through the bus for its answer; a write the handler returned that met another at commit (a side
    /// effect, run after the answer was decided) is answered as the conflict it is.
    /// </summary>
    public static async Task<TAnswer> InvokeAnsweringConflictsAsync<TAnswer>(this IMessageBus bus, object command, CancellationToken ct)
    {
        try
        {
            return await bus.InvokeAsync<TAnswer>(command, ct);
        }
        catch (Exception e) when (e is IConflictAnswer<TAnswer> conflict)
        {
            return conflict.Answer;
        }
    }
}
