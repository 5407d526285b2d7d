using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Funnel.Host.Events;

/// <summary>
/// A tenant's positions in the event store, as opaque cursors. The store numbers every tenant's events in one sequence,
/// so the numbers themselves (and the gaps between a tenant's own) would tell one tenant how much the others write.
/// A cursor is the sequence number sealed with the tenant's tag in one AES block: 22 characters, the same for the same
/// position, meaningless outside the tenant that was given it.
/// </summary>
public sealed class EventCursors(IDocumentStore store)
{
    private const int Length = 22;
    private readonly SemaphoreSlim loading = new(1, 1);
    private CursorKeys? keys;

    public static void Register(StoreOptions options) => options.Schema.For<EventCursorSecret>().SingleTenanted();

    /// <summary>The cursor of a position of <paramref name="tenant"/>'s feed: what it has seen up to and including <paramref name="sequence"/>.</summary>
    public async Task<Func<long, string>> ForAsync(string tenant, CancellationToken ct)
    {
        var k = await KeysAsync(ct);
        var tag = k.TagOf(tenant);
        return sequence => k.Seal(sequence, tag);
    }

    /// <summary>The position a cursor names, or null when it is not one this tenant was given.</summary>
    public async Task<long?> ReadAsync(string tenant, string cursor, CancellationToken ct)
    {
        if (cursor.Length != Length)
        {
            return null;
        }

        var block = new byte[16];
        if (!Base64Url.TryDecodeFromChars(cursor, block, out var written) || written != 16)
        {
            return null;
        }

        var k = await KeysAsync(ct);
        return k.Open(block, k.TagOf(tenant));
    }

    private async Task<CursorKeys> KeysAsync(CancellationToken ct)
    {
        if (keys is { } loaded)
        {
            return loaded;
        }

        await loading.WaitAsync(ct);
        try
        {
            return keys ??= new CursorKeys(await SecretAsync(ct));
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>One secret for the whole service, made by whichever node first needs it.</summary>
    private async Task<byte[]> SecretAsync(CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<EventCursorSecret>(EventCursorSecret.TheId, ct) is { } stored)
            {
                return stored.Key;
            }
        }

        try
        {
            await using var session = store.LightweightSession();
            var secret = new EventCursorSecret { Key = RandomNumberGenerator.GetBytes(32) };
            session.Insert(secret);
            await session.SaveChangesAsync(ct);
            return secret.Key;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            await using var query = store.QuerySession();
            return (await query.LoadAsync<EventCursorSecret>(EventCursorSecret.TheId, ct))!.Key;
        }
    }

    private sealed class CursorKeys
    {
        // One AES instance, used under a lock: its one-shot methods share its state.
        private readonly Aes cipher = Aes.Create();
        private readonly byte[] tagKey;

        public CursorKeys(byte[] secret)
        {
            cipher.Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "funnel event cursor cipher"u8.ToArray());
            tagKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "funnel event cursor tenant tag"u8.ToArray());
        }

        public ulong TagOf(string tenant) => BinaryPrimitives.ReadUInt64BigEndian(HMACSHA256.HashData(tagKey, System.Text.Encoding.UTF8.GetBytes(tenant)));

        public string Seal(long sequence, ulong tag)
        {
            Span<byte> block = stackalloc byte[16];
            BinaryPrimitives.WriteInt64BigEndian(block, sequence);
            BinaryPrimitives.WriteUInt64BigEndian(block[8..], tag);
            Span<byte> sealedBlock = stackalloc byte[16];
            lock (cipher)
            {
                cipher.EncryptEcb(block, sealedBlock, PaddingMode.None);
            }

            return Base64Url.EncodeToString(sealedBlock);
        }

        public long? Open(ReadOnlySpan<byte> sealedBlock, ulong tag)
        {
            Span<byte> block = stackalloc byte[16];
            lock (cipher)
            {
                cipher.DecryptEcb(sealedBlock, block, PaddingMode.None);
            }

            var sequence = BinaryPrimitives.ReadInt64BigEndian(block);
            return BinaryPrimitives.ReadUInt64BigEndian(block[8..]) == tag && sequence >= 0 ? sequence : null;
        }
    }
}

/// <summary>The key the event cursors are sealed with (the store is the secret, as for the sign-in key ring).</summary>
public sealed class EventCursorSecret
{
    public const string TheId = "event-cursors";

    public string Id { get; set; } = TheId;

    public byte[] Key { get; set; } = [];
}
