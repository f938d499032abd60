using System.Buffers.Binary;

namespace Solvent.Storage;

/// <summary>
/// Binary payload of a <see cref="StoredBlock"/>: version byte, height, time, three 32-byte roots, the
/// action count, then each action as a 4-byte length and its bytes. Little-endian throughout.
/// </summary>
public static class BlockCodec
{
    /// <summary>Version byte written first in every payload.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Bytes before the first action: version, height, time, three roots, action count.</summary>
    public const int HeaderLength = 1 + 8 + 8 + (3 * RootLength) + 4;

    private const byte Version = CurrentVersion;
    private const int RootLength = 32;

    /// <summary>Encodes a block.</summary>
    public static byte[] Encode(StoredBlock block)
    {
        byte[] buffer = new byte[EncodedLength(block)];
        Encode(block, buffer);
        return buffer;
    }

    /// <summary>Bytes <see cref="Encode(StoredBlock, Span{byte})"/> writes for <paramref name="block"/>.</summary>
    public static int EncodedLength(StoredBlock block)
    {
        // Indexed, not foreach: enumerating the list through its interface would allocate on the append path.
        int length = HeaderLength;
        for (int i = 0; i < block.Actions.Count; i++)
        {
            length = checked(length + 4 + block.Actions[i].Length);
        }

        return length;
    }

    /// <summary>Encodes a block into exactly <see cref="EncodedLength"/> bytes of <paramref name="s"/>.</summary>
    public static void Encode(StoredBlock block, Span<byte> s)
    {
        if (s.Length != EncodedLength(block))
        {
            throw new ArgumentException($"block {block.Height} encodes to {EncodedLength(block)} bytes, not {s.Length}", nameof(s));
        }

        s[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(s[1..], block.Height);
        BinaryPrimitives.WriteInt64LittleEndian(s[9..], block.Time);
        WriteRoot(s[17..], block.ParentRoot);
        WriteRoot(s[(17 + RootLength)..], block.StateRoot);
        WriteRoot(s[(17 + (2 * RootLength))..], block.AccountsRoot);
        BinaryPrimitives.WriteInt32LittleEndian(s[(HeaderLength - 4)..], block.Actions.Count);
        int pos = HeaderLength;
        for (int i = 0; i < block.Actions.Count; i++)
        {
            byte[] a = block.Actions[i];
            BinaryPrimitives.WriteInt32LittleEndian(s[pos..], a.Length);
            a.CopyTo(s[(pos + 4)..]);
            pos += 4 + a.Length;
        }
    }

    /// <summary>Decodes a payload; false when it is not a well-formed block of a known version.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> s, out StoredBlock? block)
    {
        block = null;
        if (s.Length < HeaderLength || s[0] != Version)
        {
            return false;
        }

        long height = BinaryPrimitives.ReadInt64LittleEndian(s[1..]);
        long time = BinaryPrimitives.ReadInt64LittleEndian(s[9..]);
        byte[] parent = s.Slice(17, RootLength).ToArray();
        byte[] state = s.Slice(17 + RootLength, RootLength).ToArray();
        byte[] accounts = s.Slice(17 + (2 * RootLength), RootLength).ToArray();
        int count = BinaryPrimitives.ReadInt32LittleEndian(s[(HeaderLength - 4)..]);
        if (count < 0 || count > (s.Length - HeaderLength) / 4)
        {
            return false;
        }

        var actions = new byte[count][];
        int pos = HeaderLength;
        for (int i = 0; i < count; i++)
        {
            if (s.Length - pos < 4)
            {
                return false;
            }

            int len = BinaryPrimitives.ReadInt32LittleEndian(s[pos..]);
            if (len < 0 || len > s.Length - pos - 4)
            {
                return false;
            }

            actions[i] = s.Slice(pos + 4, len).ToArray();
            pos += 4 + len;
        }

        if (pos != s.Length)
        {
            return false;
        }

        block = new StoredBlock(height, time, parent, state, accounts, actions);
        return true;
    }

    private static void WriteRoot(Span<byte> into, byte[] root)
    {
        if (root.Length != RootLength)
        {
            throw new ArgumentException($"roots are {RootLength} bytes, got {root.Length}", nameof(root));
        }

        root.CopyTo(into);
    }
}
