namespace Ledger.Api.Http;

/// <summary>
/// How long the first answer to an <c>Idempotency-Key</c> is kept (<c>Ledger:Idempotency:RetentionHours</c>, default 24),
/// and the largest answer kept for replay (<c>MaxStoredAnswerBytes</c>, default 64 KiB). An answer larger than that (a 400
/// listing thousands of bad fields) is not kept: a retry runs again, which is safe because loading the same package twice
/// records nothing. (A claim left by a request whose process died needs no setting: its advisory lock died with it.)
/// </summary>
public sealed record IdempotencySettings(TimeSpan Retention, int MaxStoredAnswerBytes)
{
    public static readonly IdempotencySettings Default = new(TimeSpan.FromHours(24), 64 * 1024);

    public static IdempotencySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Ledger:Idempotency");
        return new(
            TimeSpan.FromHours(section.GetValue<double?>("RetentionHours") ?? Default.Retention.TotalHours),
            section.GetValue<int?>("MaxStoredAnswerBytes") ?? Default.MaxStoredAnswerBytes);
    }
}
