using Ledger.Domain.Events;
using Ledger.Projections.Entities;
using Marten;
using Wolverine.Http;

namespace Ledger.Api.Http;

/// <summary>
/// The entity a route names, loaded before the endpoint runs: a Wolverine <c>Load</c> step shared by the endpoints under
/// <c>/api/entities/{entity}</c>. An entity the ledger does not hold is a 404 problem, and the endpoint never runs.
/// (Marten's <c>[Document]</c> loading needs the route value to be the document id; a profile's id is its stream key.)
/// </summary>
public static class KnownEntity
{
    public static async Task<(EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is { } profile
            ? (profile, WolverineContinue.Result())
            : (null, Problems.UnknownEntity(entity));
}
