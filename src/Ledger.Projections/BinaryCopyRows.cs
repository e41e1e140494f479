using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Ledger.Projections;

/// <summary>
/// Rows into a binary COPY (PostgreSQL's <c>COPY … FROM STDIN (FORMAT binary)</c>), encoded here into one buffer and
/// handed to Npgsql's raw COPY stream a buffer at a time. Npgsql's own importer resolves, binds and writes every value
/// through a parameter of its own: in a rebuild that was 70 % of the folding thread's time, more than the fold
/// (docs/benchmarks.md, "Keys in byte order, COPY rows encoded here", 2026-12-06). A value is written as PostgreSQL's binary
/// send function gives it, which is what Npgsql writes for the same .NET value: text as UTF-8 (a null string as NULL; an
/// unpaired surrogate refused, as Npgsql refuses it), integers big-endian,
/// a date as days and a timestamp as microseconds since 2000-01-01, a decimal as base-10,000 digits with its own scale
/// (so 1.0 stays 1.0 and 1.00 stays 1.00), json as its text. <c>BinaryCopyRowsTests</c> holds each against Npgsql's.
/// </summary>
internal sealed class BinaryCopyRows : IAsyncDisposable
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private const int FlushAt = 60 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly NpgsqlRawCopyStream _stream;
    private readonly byte[] _buffer = new byte[FlushAt + 64 * 1024];
    private int _at;
    private bool _done;

    private BinaryCopyRows(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Header.CopyTo(_buffer, 0);
        _at = Header.Length;
    }

    /// <param name="copyFrom">The COPY command, ending <c>from stdin (format binary …)</c>.</param>
    public static async Task<BinaryCopyRows> BeginAsync(NpgsqlConnection connection, string copyFrom, CancellationToken ct) =>
        new(await connection.BeginRawBinaryCopyAsync(copyFrom, ct));

    /// <summary>Starts a row of <paramref name="fields"/> values; the buffer goes to PostgreSQL, synchronously, once it is full.</summary>
    public void StartRow(short fields)
    {
        if (_at >= FlushAt) Flush();
        BinaryPrimitives.WriteInt16BigEndian(Span(2), fields);
    }

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Span(4), -1);

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        var most = Utf8.GetMaxByteCount(value.Length);
        if (4 + most > _buffer.Length - FlushAt)
        {
            // Larger than the buffer's slack (a long note's JSON, say): encoded apart and written after what is buffered.
            var bytes = Utf8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(Span(4), bytes.Length);
            Flush();
            _stream.Write(bytes);
            return;
        }
        if (_at + 4 + most > _buffer.Length) Flush();
        var written = Utf8.GetBytes(value, _buffer.AsSpan(_at + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_at), written);
        _at += 4 + written;
    }

    /// <summary>A value that may be missing (the same as <see cref="Text"/>, which writes a null string as NULL; named for the reader).</summary>
    public void TextOrNull(string? value) => Text(value);

    /// <summary>A json column's value: in binary as in text, the JSON's own text.</summary>
    public void JsonOrNull(string? json) => Text(json);

    public void Integer(int value)
    {
        var span = Span(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
    }

    public void IntegerOrNull(int? value)
    {
        if (value is { } v) Integer(v);
        else Null();
    }

    public void Bigint(long value)
    {
        var span = Span(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    public void Boolean(bool value)
    {
        var span = Span(5);
        BinaryPrimitives.WriteInt32BigEndian(span, 1);
        span[4] = value ? (byte)1 : (byte)0;
    }

    public void Date(DateOnly value)
    {
        var span = Span(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        // The first and last dates .NET has are PostgreSQL's infinities, as Npgsql writes them.
        BinaryPrimitives.WriteInt32BigEndian(span[4..],
            value == DateOnly.MinValue ? int.MinValue : value == DateOnly.MaxValue ? int.MaxValue : value.DayNumber - PostgresEpochDay);
    }

    public void DateOrNull(DateOnly? value)
    {
        if (value is { } v) Date(v);
        else Null();
    }

    /// <summary>A timestamptz: the instant, in microseconds since 2000-01-01 UTC (ticks beyond a microsecond dropped toward 2000, as Npgsql drops them; the first and last instants are the infinities).</summary>
    public void Timestamp(DateTimeOffset value)
    {
        var span = Span(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..],
            value == DateTimeOffset.MinValue ? long.MinValue : value == DateTimeOffset.MaxValue ? long.MaxValue : (value.UtcTicks - PostgresEpochTicks) / 10);
    }

    public void NumericOrNull(decimal? value)
    {
        if (value is { } v) Numeric(v);
        else Null();
    }

    /// <summary>
    /// A numeric: the decimal's 96-bit integer and scale as base-10,000 digits about the point, its trailing zero groups
    /// dropped (the weight places the rest), the scale kept as the display scale.
    /// </summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var integer = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // The fraction's digits filled out to whole groups of four, so that the groups fall about the point.
        var pad = (4 - scale % 4) % 4;
        for (var i = 0; i < pad; i++) integer *= 10;
        var fractionGroups = (scale + pad) / 4;
        // At most 29 digits and 3 of padding: 8 groups; from the least significant.
        Span<short> groups = stackalloc short[9];
        var count = 0;
        while (integer != 0)
        {
            groups[count++] = (short)(ushort)(integer % 10_000);
            integer /= 10_000;
        }
        var weight = count - fractionGroups - 1;
        var low = 0;
        while (low < count && groups[low] == 0) low++;
        var digits = count - low;
        if (digits == 0) weight = 0;
        var span = Span(4 + 8 + 2 * digits);
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + 2 * digits);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], negative && digits > 0 ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)scale);
        for (var i = 0; i < digits; i++)
            BinaryPrimitives.WriteInt16BigEndian(span[(12 + 2 * i)..], groups[count - 1 - i]);
    }

    /// <summary>Ends the COPY: the trailer, then PostgreSQL's answer (an error in a row surfaces here: a flush only writes).</summary>
    public async Task CompleteAsync()
    {
        BinaryPrimitives.WriteInt16BigEndian(Span(2), -1);
        Flush();
        _done = true;
        await _stream.DisposeAsync();
    }

    /// <summary>
    /// Not completed, which is only ever on the way out of a failure: the COPY is cancelled, so that no part of it is
    /// stored (its transaction is rolled back too). What ended the rows is the failure the caller is leaving with, and
    /// this cleanup does not replace it: a COPY whose connection broke has ended with it (Npgsql disposed it), and one
    /// PostgreSQL refused a row of answers the cancel with that refusal, which the caller's own failure came from or
    /// follows.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_done) return;
        _done = true;
        try
        {
            await _stream.CancelAsync();
        }
        catch (Exception e) when (e is ObjectDisposedException or NpgsqlException)
        {
        }
        finally
        {
            await _stream.DisposeAsync();
        }
    }

    /// <summary>Room for a fixed-size value (at most a numeric's 28 bytes): the buffer is flushed first if it lacks it.</summary>
    private Span<byte> Span(int length)
    {
        if (_at + length > _buffer.Length) Flush();
        var span = _buffer.AsSpan(_at, length);
        _at += length;
        return span;
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _at);
        _at = 0;
    }
}
