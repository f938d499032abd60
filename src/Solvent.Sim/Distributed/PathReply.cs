using System.Text;

namespace Solvent.Sim.Distributed;

/// <summary>
/// A worker's answer for one path: the encoded outcome inline, a reference to it in the object store when it is
/// too large for one message (a recorded time series), or an error a worker could not get past.
/// </summary>
internal sealed record PathReply(int Path, PathReplyKind Kind, byte[] Payload, string? Error)
{
    private const string Magic = "solvent-stress-result/1";

    public byte[] Encode()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Path);
            w.Write((byte)Kind);
            w.Write(Payload.Length);
            w.Write(Payload);
            w.Write(Error ?? "");
        }

        return ms.ToArray();
    }

    public static PathReply Decode(byte[]? bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes ?? [], writable: false), Encoding.UTF8);
            if (r.ReadString() != Magic)
            {
                throw new InvalidDataException("not a stress result message");
            }

            int path = r.ReadInt32();
            var kind = (PathReplyKind)r.ReadByte();
            int len = r.ReadInt32();
            byte[] payload = len >= 0 && len <= bytes!.Length ? r.ReadBytes(len) : throw new InvalidDataException("bad payload length");
            string error = r.ReadString();
            return kind is PathReplyKind.Outcome or PathReplyKind.Stored or PathReplyKind.Error
                ? new PathReply(path, kind, payload, error.Length > 0 ? error : null)
                : throw new InvalidDataException($"unknown result kind {kind}");
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or IOException)
        {
            throw new InvalidDataException("truncated or malformed result message: " + e.Message, e);
        }
    }
}

/// <summary>What a <see cref="PathReply"/> carries.</summary>
internal enum PathReplyKind : byte
{
    /// <summary>The encoded outcome.</summary>
    Outcome = 1,

    /// <summary>The object-store key of the encoded outcome.</summary>
    Stored = 2,

    /// <summary>An error message (<see cref="PathReply.Error"/>).</summary>
    Error = 3,
}
