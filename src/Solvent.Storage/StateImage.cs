using System.Buffers.Binary;

namespace Solvent.Storage;

/// <summary>
/// The layout of a snapshot's state image (<see cref="Snapshot.State"/>): a version byte, the action
/// sequence counter, the engine's snapshot bytes (<c>Engine.SaveSnapshot</c>) with their length, then a
/// trailer the owner defines (the node's signer nonces). Kept here, beside the files, so every reader of
/// a node's snapshots — recovery, and the simulator loading a population — agrees on where the engine
/// state is.
/// </summary>
public static class StateImage
{
    /// <summary>The image version written by <see cref="Encode"/>.</summary>
    public const byte Version = 1;

    private const int HeaderLength = 1 + 8 + 4;

    /// <summary>An image of <paramref name="engineState"/> and <paramref name="sequence"/>, with <paramref name="trailerLength"/> bytes left for the owner at <paramref name="trailerOffset"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> engineState, long sequence, int trailerLength, out int trailerOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trailerLength);
        byte[] b = new byte[checked(HeaderLength + engineState.Length + trailerLength)];
        b[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(1), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(9), engineState.Length);
        engineState.CopyTo(b.AsSpan(HeaderLength));
        trailerOffset = HeaderLength + engineState.Length;
        return b;
    }

    /// <summary>Splits an image; false when it is empty (a checkpoint without state), of another version or truncated.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> image, out ReadOnlySpan<byte> engineState, out long sequence, out ReadOnlySpan<byte> trailer)
    {
        engineState = default;
        trailer = default;
        sequence = 0;
        if (image.Length < HeaderLength || image[0] != Version)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(image[1..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(image[9..]);
        if (length < 0 || length > image.Length - HeaderLength)
        {
            return false;
        }

        engineState = image.Slice(HeaderLength, length);
        trailer = image[(HeaderLength + length)..];
        return true;
    }
}
