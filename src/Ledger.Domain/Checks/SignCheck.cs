using Ledger.Domain.Concepts;
using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

/// <summary>
/// A value whose sign contradicts its concept's balance. The ledger keeps XBRL's convention (an asset is a
/// positive debit, a liability or an allowance a positive credit, an expense a positive debit, revenue a positive
/// credit), so a negative value of such a concept is a sign taken from the page (a deduction printed in
/// parentheses) rather than from the concept. Only concepts the catalog marks <c>nonNegative</c> are judged:
/// profit or loss, equity components (a deficit), income tax (a credit), gains and losses, net items,
/// reconciling tax effects and cash flows legitimately take either sign.
/// </summary>
public static class SignCheck
{
    public static bool Contradicts(Concept concept, Amount value) =>
        concept.NonNegative && concept.Balance is not null && value.Value is < 0;
}
