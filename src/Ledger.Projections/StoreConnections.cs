using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

namespace Ledger.Projections;

/// <summary>
/// The connection string each store was configured with, password included (Npgsql hides it once a data source holds
/// it; a bulk load opens a second store like the first), and the one derived from it that the store's prepared reads
/// connect with (<see cref="PreparedReads"/>: a pool of their own, without Npgsql's reset). Registered once, where the
/// store is configured.
/// </summary>
public static class StoreConnections
{
    private sealed record Strings(string Configured, string ForReads);

    private static readonly ConditionalWeakTable<StoreOptions, Strings> Registered = new();

    public static void Register(StoreOptions options, string connectionString) =>
        Registered.AddOrUpdate(options, new(connectionString, new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString));

    /// <summary>The connection string the store was configured with; null for a store configured without registering it.</summary>
    public static string? ConfiguredOf(IReadOnlyStoreOptions options) => Of(options)?.Configured;

    /// <summary>The connection string of the store's prepared reads; null for a store configured without registering it.</summary>
    public static string? ForReadsOf(IReadOnlyStoreOptions options) => Of(options)?.ForReads;

    private static Strings? Of(IReadOnlyStoreOptions options) =>
        options is StoreOptions o && Registered.TryGetValue(o, out var strings) ? strings : null;
}
