using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>Per-account canonical bytes: the leaves of the node's Merkle state commitment.</summary>
public sealed partial class Engine
{
    /// <summary>
    /// Writes one subaccount's canonical encoding — exactly its record in <see cref="WriteCanonical"/>:
    /// owner, number, mode, every scaled balance, every market's size, quote and funding snapshot, flag time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No account has this id.</exception>
    public void WriteAccountCanonical(int id, CanonicalWriter w)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Accounts.Count);
        AccountKey key = Accounts.KeyOf(id);
        w.WriteAddress(key.Owner);
        w.WriteI64(key.Number);
        w.WriteByte((byte)Accounts.ModeOf(id));
        foreach (long b in Accounts.Balances(id))
        {
            w.WriteI64(b);
        }

        ReadOnlySpan<long> sizes = Accounts.Sizes(id);
        ReadOnlySpan<long> quotes = Accounts.Quotes(id);
        ReadOnlySpan<Int128> funding = Accounts.FundingSnapshots(id);
        for (int m = 0; m < sizes.Length; m++)
        {
            w.WriteI64(sizes[m]);
            w.WriteI64(quotes[m]);
            w.WriteI128(funding[m]);
        }

        w.WriteI64(Accounts.FlaggedAt(id));
    }

    /// <summary>One subaccount's canonical bytes as a new array (see <see cref="WriteAccountCanonical"/>).</summary>
    public byte[] AccountCanonicalBytes(int id)
    {
        var sink = new ByteBuffer();
        var w = new CanonicalWriter(sink);
        WriteAccountCanonical(id, w);
        w.Flush();
        return sink.ToArray();
    }
}
