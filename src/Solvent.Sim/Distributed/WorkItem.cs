using System.Text;

namespace Solvent.Sim.Distributed;

/// <summary>
/// One path to run: the run it belongs to, the scenario bundle (by hash), the overrides the coordinator applied,
/// and the path index. Shock and volatility multiplier travel as raw IEEE-754 bits.
/// </summary>
internal sealed record WorkItem(string RunId, string BundleHash, int? Accounts, double Shock, double VolMultiplier, int Path, bool RecordSeries)
{
    private const string Magic = "solvent-stress-work/1";

    public byte[] Encode()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(RunId);
            w.Write(BundleHash);
            w.Write(Accounts ?? -1);
            w.Write(BitConverter.DoubleToInt64Bits(Shock));
            w.Write(BitConverter.DoubleToInt64Bits(VolMultiplier));
            w.Write(Path);
            w.Write(RecordSeries);
        }

        return ms.ToArray();
    }

    /// <summary>Decodes a work message; anything malformed is an <see cref="InvalidDataException"/> saying why.</summary>
    public static WorkItem Decode(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            throw new InvalidDataException("empty work message");
        }

        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            string magic = r.ReadString();
            if (magic != Magic)
            {
                throw new InvalidDataException("not a stress work message");
            }

            var item = new WorkItem(r.ReadString(), r.ReadString(), r.ReadInt32() is var a && a >= 0 ? a : null,
                BitConverter.Int64BitsToDouble(r.ReadInt64()), BitConverter.Int64BitsToDouble(r.ReadInt64()), r.ReadInt32(), r.ReadBoolean());
            if (r.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException("trailing bytes after a work message");
            }

            if (!RunIds.IsValid(item.RunId) || item.BundleHash.Length != 64 || !item.BundleHash.All(Uri.IsHexDigit) || item.Path < 0
                || !double.IsFinite(item.Shock) || !double.IsFinite(item.VolMultiplier))
            {
                throw new InvalidDataException("work message has an invalid run id, bundle hash, path, shock or volatility multiplier");
            }

            return item;
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or IOException)
        {
            throw new InvalidDataException("truncated or malformed work message: " + e.Message, e);
        }
    }
}

/// <summary>Run ids: 32 lower-case hex digits, safe as a subject token.</summary>
internal static class RunIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string id) => id.Length == 32 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
