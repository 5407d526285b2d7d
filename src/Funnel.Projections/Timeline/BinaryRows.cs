using System.Buffers.Binary;
using System.Text;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Rows in COPY's binary format, written into a buffer of bytes: a field a length and its value as PostgreSQL sends it
/// (big-endian integers, instants as microseconds and dates as days since 2000, numerics in base-10000 digits). Npgsql's
/// importer writes the same bytes but costs about 90 ns a value through its type resolution, which made the service,
/// the rebuild's pace-setter, slower than with COPY's text format.
/// </summary>
internal sealed class BinaryRows
{
    /// <summary>The format's signature, its flags and its header extension's length (none).</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly long Epoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly int EpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private byte[] buffer = new byte[1 << 16];

    public BinaryRows() => Header.CopyTo(Take(Header.Length));

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, Length);

    public int Length { get; private set; }

    /// <summary>Forgets what was written (once handed on).</summary>
    public void Clear() => Length = 0;

    public void BeginRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Take(2), fields);

    /// <summary>The trailer that ends the rows.</summary>
    public void End() => BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Take(4), -1);

    public void Int32(int value)
    {
        var field = Take(8);
        BinaryPrimitives.WriteInt32BigEndian(field, 4);
        BinaryPrimitives.WriteInt32BigEndian(field[4..], value);
    }

    public void Int64(long value)
    {
        var field = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(field, 8);
        BinaryPrimitives.WriteInt64BigEndian(field[4..], value);
    }

    public void Boolean(bool value)
    {
        var field = Take(5);
        BinaryPrimitives.WriteInt32BigEndian(field, 1);
        field[4] = value ? (byte)1 : (byte)0;
    }

    public void Date(DateOnly day) => Int32(day.DayNumber - EpochDay);

    public void Instant(DateTimeOffset at) => Int64(Microseconds(at));

    public void Text(string text) => Text(text, jsonb: false);

    /// <summary>JSON given as text, in jsonb's binary form: a version byte, 1, before the same text.</summary>
    public void Jsonb(string json) => Text(json, jsonb: true);

    private void Text(string text, bool jsonb)
    {
        var prefix = jsonb ? 5 : 4;
        var field = Take(prefix + Encoding.UTF8.GetMaxByteCount(text.Length));
        var bytes = Encoding.UTF8.GetBytes(text, field[prefix..]);
        BinaryPrimitives.WriteInt32BigEndian(field, prefix - 4 + bytes);
        if (jsonb)
        {
            field[4] = 1;
        }

        Length -= field.Length - prefix - bytes;
    }

    /// <summary>
    /// A numeric: its digits in groups of four from the decimal point (the fraction padded to whole groups), the most
    /// significant group's place (its weight), its sign and its scale (the decimal's own, as its text would have it).
    /// </summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var fractionGroups = (scale + 3) / 4;
        for (var pad = (fractionGroups * 4) - scale; pad > 0; pad--)
        {
            mantissa *= 10;
        }

        Span<short> groups = stackalloc short[10];
        var count = 0;
        for (; mantissa != 0; mantissa /= 10_000)
        {
            groups[count++] = (short)(ushort)(mantissa % 10_000);
        }

        var lowest = 0;
        while (lowest < count && groups[lowest] == 0)
        {
            lowest++;
        }

        var digits = count - lowest;
        var field = Take(12 + (2 * digits));
        BinaryPrimitives.WriteInt32BigEndian(field, 8 + (2 * digits));
        BinaryPrimitives.WriteInt16BigEndian(field[4..], (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(field[6..], (short)(digits == 0 ? 0 : count - 1 - fractionGroups));
        BinaryPrimitives.WriteInt16BigEndian(field[8..], (short)(digits != 0 && bits[3] < 0 ? 0x4000 : 0));
        BinaryPrimitives.WriteInt16BigEndian(field[10..], (short)scale);
        for (var i = 0; i < digits; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(field[(12 + (2 * i))..], groups[count - 1 - i]);
        }
    }

    /// <summary>
    /// A range of instants from <paramref name="from"/> (included) to <paramref name="to"/> (excluded) or unbounded;
    /// PostgreSQL makes it empty when the two are equal, as it does the range's text.
    /// </summary>
    public void Period(DateTimeOffset from, DateTimeOffset? to)
    {
        const byte lowerIncluded = 0x02, upperUnbounded = 0x10;
        var field = Take(to is null ? 17 : 29);
        BinaryPrimitives.WriteInt32BigEndian(field, field.Length - 4);
        field[4] = to is null ? (byte)(lowerIncluded | upperUnbounded) : lowerIncluded;
        BinaryPrimitives.WriteInt32BigEndian(field[5..], 8);
        BinaryPrimitives.WriteInt64BigEndian(field[9..], Microseconds(from));
        if (to is { } end)
        {
            BinaryPrimitives.WriteInt32BigEndian(field[17..], 8);
            BinaryPrimitives.WriteInt64BigEndian(field[21..], Microseconds(end));
        }
    }

    /// <summary>
    /// An instant's microseconds since 2000 as PostgreSQL stores the digits the rows' JSON gives it (up to seven after
    /// the second): rounded as its input rounds them (<c>rint</c> of the fraction read as a double, times a million:
    /// half to even), so a copied row is the row the JSON would have given.
    /// </summary>
    private static long Microseconds(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var fraction = ticks % TimeSpan.TicksPerSecond;
        var microseconds = (long)Math.Round(fraction / 1e7 * 1e6, MidpointRounding.ToEven);
        return ((ticks - fraction - Epoch) / TimeSpan.TicksPerMicrosecond) + microseconds;
    }

    /// <summary>The next <paramref name="bytes"/> of the buffer, grown when they do not fit.</summary>
    private Span<byte> Take(int bytes)
    {
        if (Length + bytes > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + bytes));
        }

        var taken = buffer.AsSpan(Length, bytes);
        Length += bytes;
        return taken;
    }
}
