using System.Buffers.Binary;
using Solvent.Core;
using Solvent.Core.State;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Recovery;

/// <summary>
/// What a snapshot's state image holds: the engine's snapshot bytes (<c>Engine.SaveSnapshot</c>), the
/// action sequence counter and every signer's next nonce (node state the engine does not keep), in
/// address order so equal chains write equal images.
/// </summary>
public static class SnapshotImage
{
    private const byte Version = 1;

    /// <summary>Encodes the chain's state at its current height.</summary>
    public static byte[] Encode(Engine engine, NonceTable nonces, long sequence)
    {
        byte[] state = engine.SaveSnapshot();
        List<KeyValuePair<Address, ulong>> entries = [.. nonces.Entries()];
        entries.Sort((a, b) => a.Key.CompareTo(b.Key));
        byte[] b = new byte[1 + 8 + 4 + state.Length + 4 + (entries.Count * 28)];
        b[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(1), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(9), state.Length);
        state.CopyTo(b, 13);
        int pos = 13 + state.Length;
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(pos), entries.Count);
        pos += 4;
        foreach ((Address a, ulong next) in entries)
        {
            a.WriteBytes(b.AsSpan(pos));
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(pos + 20), next);
            pos += 28;
        }

        return b;
    }

    /// <summary>Decodes an image; false when it is empty (a checkpoint without state) or malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> b, out ReadOnlySpan<byte> engineState, out long sequence, out NonceTable nonces)
    {
        engineState = default;
        sequence = 0;
        nonces = new NonceTable();
        if (b.Length < 13 || b[0] != Version)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(b[1..]);
        int stateLength = BinaryPrimitives.ReadInt32LittleEndian(b[9..]);
        if (stateLength < 0 || stateLength > b.Length - 17)
        {
            return false;
        }

        engineState = b.Slice(13, stateLength);
        int pos = 13 + stateLength;
        int count = BinaryPrimitives.ReadInt32LittleEndian(b[pos..]);
        pos += 4;
        if (count < 0 || (long)count * 28 != b.Length - pos)
        {
            return false;
        }

        for (int i = 0; i < count; i++, pos += 28)
        {
            nonces.Set(Address.FromBytes(b.Slice(pos, 20)), BinaryPrimitives.ReadUInt64LittleEndian(b[(pos + 20)..]));
        }

        return true;
    }
}
