using Ledger.Api.Http;
using Ledger.Domain.Events;
using Ledger.Projections.Entities;
using Marten;
using Wolverine.Http;

namespace Ledger.Api.Entities;

/// <summary>
/// The entity a route names, loaded before the endpoint runs: a Wolverine <c>Load</c> step shared by the endpoints under
/// <c>/api/entities/{entity}</c>. An entity the ledger does not hold is a 404 problem, and the endpoint never runs.
/// (Not Wolverine's <c>[Entity]</c>: a profile's id is its stream key, and though <c>FromMethod</c> could work that out,
/// its 404 would be empty or Wolverine's problem body (<c>OnMissing</c>), not the API's, which names the entity as the
/// route gave it.)
/// </summary>
public static class KnownEntity
{
    public static async Task<(EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is { } profile
            ? (profile, WolverineContinue.Result())
            : (null, Problems.UnknownEntity(entity));
}
