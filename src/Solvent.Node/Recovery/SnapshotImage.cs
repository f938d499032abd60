using System.Buffers.Binary;
using Solvent.Core;
using Solvent.Core.State;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Recovery;

/// <summary>
/// What a snapshot's state image holds: the engine's snapshot bytes (<c>Engine.SaveSnapshot</c>) and the
/// action sequence counter in <see cref="StateImage"/>'s layout, then as its trailer every signer's next
/// nonce (node state the engine does not keep), in address order so equal chains write equal images.
/// </summary>
public static class SnapshotImage
{
    /// <summary>Encodes the chain's state at its current height.</summary>
    public static byte[] Encode(Engine engine, NonceTable nonces, long sequence)
    {
        List<KeyValuePair<Address, ulong>> entries = [.. nonces.Entries()];
        entries.Sort((a, b) => a.Key.CompareTo(b.Key));
        byte[] b = StateImage.Encode(engine.SaveSnapshot(), sequence, 4 + (entries.Count * 28), out int pos);
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
        nonces = new NonceTable();
        if (!StateImage.TryDecode(b, out engineState, out sequence, out ReadOnlySpan<byte> trailer) || trailer.Length < 4)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(trailer);
        if (count < 0 || (long)count * 28 != trailer.Length - 4)
        {
            return false;
        }

        for (int i = 0, pos = 4; i < count; i++, pos += 28)
        {
            nonces.Set(Address.FromBytes(trailer.Slice(pos, 20)), BinaryPrimitives.ReadUInt64LittleEndian(trailer[(pos + 20)..]));
        }

        return true;
    }
}
