namespace Solvent.Core.State;

/// <summary>A growable byte sink for canonical encodings (snapshots, account leaves); reusable via <see cref="Clear"/>.</summary>
public sealed class ByteBuffer(int capacity = 256) : IByteSink
{
    private byte[] _buffer = new byte[System.Math.Max(16, capacity)];

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written, valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>Forgets the content, keeping the capacity.</summary>
    public void Clear() => Length = 0;

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <inheritdoc/>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, System.Math.Max(_buffer.Length * 2, Length + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }
}
