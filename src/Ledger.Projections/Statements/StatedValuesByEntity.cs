using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Figures;
using Ledger.Projections.Figures;

namespace Ledger.Projections.Statements;

/// <summary>
/// The stated values a rebuild writes, set aside as it writes them, in files of this process's split by entity, for the
/// statements' lines to be worked out from afterwards (<see cref="StatementLinesCopyRebuild"/>): a figure's lines need all
/// its rows, and the log brings them in the order the ledger learnt them, figures mixed. Until 2026-12-06 the lines read
/// the rows back from the table, sorted by figure: PostgreSQL's sort and the read were the longest part of a rebuild
/// (5.5 s of 10.7 at `medium`, docs/benchmarks.md, "The lines from the rows set aside"). Here each file holds whole
/// entities and is read into memory when its turn comes (one a worker), so memory is bounded by a file's rows, not the
/// ledger's. The files take about 130 bytes a row by their layout (some 130 MB at `medium`) in the system's temporary folder
/// (<c>TMPDIR</c> where set), for the rebuild's length.
/// <para>
/// A row keeps what a statement reads of it (<see cref="FigureReads.StatementColumns"/>) and its position, and is read
/// back into the same value a statement's read makes of the stored row (<see cref="FigureReads.StatementValue"/>). The
/// files are deleted as soon as they are open (on Windows, when closed).
/// </para>
/// </summary>
internal sealed class StatedValuesByEntity : IDisposable
{
    /// <summary>Rows to a file, about: a `medium` rebuild's 970,000 rows go into 48 files of 3 MB or so.</summary>
    public const int RowsPerFile = 20_000;

    /// <summary>Files at most, whatever the log's size, so that their buffers stay small (64 KB each): beyond 10 million or so rows, files hold more than <see cref="RowsPerFile"/>.</summary>
    public const int MostFiles = 512;

    private const int BufferSize = 64 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly FileStream[] _files;
    // Each file's rows are written into memory and go to the file a buffer at a time, so that writing a value is a copy
    // into memory, not a call through the file's layers.
    private readonly MemoryStream[] _buffers;
    private readonly BinaryWriter[] _writers;

    /// <param name="files">How many files the rows are split into (<see cref="FilesFor"/>).</param>
    public StatedValuesByEntity(int files)
    {
        if (files < 1) throw new ArgumentOutOfRangeException(nameof(files), files, "at least one file");
        _files = new FileStream[files];
        _buffers = new MemoryStream[files];
        _writers = new BinaryWriter[files];
        var name = $"ledger-rebuild-{Guid.NewGuid():N}";
        try
        {
            for (var i = 0; i < files; i++)
            {
                var path = Path.Combine(Path.GetTempPath(), $"{name}-{i}.rows");
                _files[i] = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
                // Where a file open can be deleted (not Windows, which deletes it on close whatever ends the process), gone from
                // the folder at once: a process killed during a rebuild leaves nothing behind.
                if (!OperatingSystem.IsWindows()) File.Delete(path);
                _buffers[i] = new MemoryStream(BufferSize + 4 * 1024);
                _writers[i] = new BinaryWriter(_buffers[i], Utf8, leaveOpen: true);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Files for a log whose events run up to <paramref name="lastSequence"/> (nearly all of them stated values, in a market's log).</summary>
    public static int FilesFor(long lastSequence) => (int)Math.Clamp((lastSequence + RowsPerFile - 1) / RowsPerFile, 1, MostFiles);

    /// <summary>Sets a row aside, in its entity's file.</summary>
    public void Add(long position, StatedValueRow row)
    {
        var file = (int)((uint)StringComparer.Ordinal.GetHashCode(row.Key.Entity) % (uint)_writers.Length);
        var (w, buffer) = (_writers[file], _buffers[file]);
        var start = (int)buffer.Length;
        // The record's length, filled in at its end, and its figure first: a file's records are put in order by their
        // figures' bytes without reading the rest of them.
        w.Write(0);
        var s = row.Value;
        w.Write(row.Figure);
        w.Write(position);
        w.Write(s.Kind);
        w.Write(s.Document.Id);
        Date(w, s.Document.PublishedOn);
        Date(w, s.Document.KnownNoLaterThan);
        Text(w, s.CitedBy);
        w.Write(s.Sequence);
        var amount = s.Value.Value;
        w.Write(amount.Value.HasValue);
        if (amount.Value is { } value) w.Write(value);
        Integer(w, amount.Decimals);
        w.Write(amount.Unit);
        Text(w, s.Location.Table);
        Text(w, s.Location.Row);
        Integer(w, s.Location.Line);
        Text(w, row.Details);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetBuffer().AsSpan(start), (int)buffer.Length - start - 4);
        if (buffer.Length >= BufferSize) Spill(file);
    }

    private void Spill(int file)
    {
        var buffer = _buffers[file];
        _files[file].Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        buffer.SetLength(0);
    }

    /// <summary>How many files the rows were split into.</summary>
    public int Count => _files.Length;

    /// <summary>
    /// One file's figures, in their keys' byte order (each entity's together, as the key begins with it), each with its
    /// rows in the order they were set aside (their positions'), once every row is set aside. Only one figure's rows are
    /// made into values at a time: a file's values made at once outlived the collector's youngest generation, and collecting
    /// them was a third of the CPU while the lines were worked out (docs/benchmarks.md, "The lines from the rows set aside"). The list given is
    /// the iterator's own, reused for the next figure. Files may be read at the same time, each by one reader, once.
    /// </summary>
    public IEnumerable<(string Figure, List<(long Position, StatedValue Value)> Rows)> Figures(int fileNumber)
    {
        Spill(fileNumber);
        var file = _files[fileNumber];
        var length = file.Length <= Array.MaxLength ? (int)file.Length
            : throw new InvalidOperationException($"A rebuild's file of stated values set aside holds {file.Length:N0} bytes, more than one read can hold: the ledger is too large for {_files.Length} files.");
        // Read whole into memory (a few MB at `medium`, lent by the pool and given back).
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            file.Position = 0;
            file.ReadExactly(bytes, 0, length);
            file.SetLength(0);
            var records = new List<int>();
            for (var at = 0; at < length; at += 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at))) records.Add(at + 4);
            var order = records.ToArray();
            // By the figure's UTF-8 bytes (not by their length first: each entity's figures must be together), then by where
            // it lies, which is the order the rows were set aside in.
            Array.Sort(order, (a, b) => FigureBytes(bytes, a).SequenceCompareTo(FigureBytes(bytes, b)) is var c and not 0 ? c : a.CompareTo(b));
            var parts = new FigureReads.SharedRowParts();
            var rows = new List<(long, StatedValue)>();
            using var stream = new MemoryStream(bytes, 0, length, writable: false);
            using var r = new BinaryReader(stream, Utf8);
            for (var i = 0; i < order.Length;)
            {
                stream.Position = order[i];
                var figure = r.ReadString();
                i = ReadFigure(bytes, order, i, stream, r, parts, rows);
                yield return (figure, rows);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// The rows of the figure whose first record is <paramref name="first"/> in <paramref name="order"/> (those after it
    /// with the same figure's bytes) into <paramref name="rows"/>, each read past its figure; gives the next figure's first.
    /// </summary>
    private static int ReadFigure(byte[] bytes, int[] order, int first, MemoryStream stream, BinaryReader r, FigureReads.SharedRowParts parts,
        List<(long, StatedValue)> rows)
    {
        rows.Clear();
        var figure = FigureBytes(bytes, order[first]);
        var prefix = PrefixLength(figure.Length);
        var i = first;
        for (; i < order.Length && (i == first || FigureBytes(bytes, order[i]).SequenceEqual(figure)); i++)
        {
            stream.Position = order[i] + prefix + figure.Length;
            rows.Add(ValueOf(r, parts));
        }
        return i;
    }

    /// <summary>A record's figure as written (<see cref="BinaryWriter.Write(string)"/>: its length in 7-bit groups, then its UTF-8 bytes).</summary>
    private static ReadOnlySpan<byte> FigureBytes(byte[] bytes, int record)
    {
        var (length, shift, at) = (0, 0, record);
        byte b;
        do
        {
            b = bytes[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return bytes.AsSpan(at, length);
    }

    /// <summary>The bytes of a string's length as written before it, 7 bits a byte.</summary>
    private static int PrefixLength(int length)
    {
        var n = 1;
        while ((length >>= 7) != 0) n++;
        return n;
    }

    /// <summary>The rest of a record, after its figure: its position and value.</summary>
    private static (long, StatedValue) ValueOf(BinaryReader r, FigureReads.SharedRowParts parts)
    {
        var position = r.ReadInt64();
        var (kind, document) = (r.ReadString(), r.ReadString());
        var (publishedOn, knownNoLaterThan, citedBy) = (Date(r), Date(r), Text(r));
        var sequence = r.ReadInt32();
        decimal? value = r.ReadBoolean() ? r.ReadDecimal() : null;
        var (decimals, unit) = (Integer(r), r.ReadString());
        var (table, row, line) = (Text(r), Text(r), Integer(r));
        var details = Text(r) is { } json ? JsonSerializer.Deserialize<StatementDetails>(json, StatedValueJson.Options) : null;
        return (position, FigureReads.StatementValue(kind, document, publishedOn, knownNoLaterThan, citedBy, sequence, value, decimals, unit,
            table, row, line, details, parts));
    }

    private static void Text(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static string? Text(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void Integer(BinaryWriter w, int? value)
    {
        w.Write(value.HasValue);
        if (value is { } v) w.Write(v);
    }

    private static int? Integer(BinaryReader r) => r.ReadBoolean() ? r.ReadInt32() : null;

    private static void Date(BinaryWriter w, DateOnly? value)
    {
        w.Write(value.HasValue);
        if (value is { } v) w.Write(v.DayNumber);
    }

    private static DateOnly? Date(BinaryReader r) => r.ReadBoolean() ? DateOnly.FromDayNumber(r.ReadInt32()) : null;

    public void Dispose()
    {
        for (var i = 0; i < _files.Length; i++)
        {
            _writers[i]?.Dispose();
            _buffers[i]?.Dispose();
            _files[i]?.Dispose();
        }
    }
}
