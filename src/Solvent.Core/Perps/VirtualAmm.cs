using Solvent.Core.Math;

namespace Solvent.Core.Perps;

/// <summary>
/// Constant-product virtual AMM (x·y = k on virtual reserves, with a peg multiplier), as the first
/// perpetual DEXs priced trades. Base reserve in base quantums, quote reserve in peg-scaled units;
/// quote amounts = Δquote reserve × peg / 1e12 in quote quantums. Pure: returns new reserves.
/// Every rounding makes the trader pay more or receive less.
/// </summary>
public static class VirtualAmm
{
    /// <summary>Peg precision: peg = quote quantums per base quantum × 1e12.</summary>
    public const long PegPrecision = 1_000_000_000_000;

    /// <summary>Outcome of swapping base against the AMM.</summary>
    /// <param name="Quote">Quote quantums the trader pays (buy, &gt; 0) or receives (sell, &lt; 0).</param>
    /// <param name="NewBase">Base reserve after the swap.</param>
    /// <param name="NewQuote">Quote reserve after the swap.</param>
    public readonly record struct Swap(long Quote, UInt128 NewBase, UInt128 NewQuote);

    /// <summary>Peg for an oracle price (USD × 1e8 per whole base unit) with base quantum decimals <paramref name="baseQd"/> and 6-decimal quote.</summary>
    public static long PegFor(long price, int baseQd)
    {
        int e = Precision.ValueDecimals + 12 - Precision.PriceDecimals - baseQd;
        return e >= 0 ? checked(price * (long)Precision.Pow10(e)) : price / (long)Precision.Pow10(-e);
    }

    /// <summary>Mark price (USD × 1e8 per whole base unit, floor) of reserves.</summary>
    public static long MarkPrice(UInt128 baseReserve, UInt128 quoteReserve, long peg, int baseQd)
    {
        int e = Precision.ValueDecimals + 12 - Precision.PriceDecimals - baseQd;
        UInt128 num = FullMath.MulDiv(quoteReserve, (ulong)peg, baseReserve, Rounding.Down);
        return e >= 0 ? checked((long)(num / Precision.Pow10(e))) : checked((long)(num * Precision.Pow10(-e)));
    }

    /// <summary>Trader buys (<paramref name="baseDelta"/> &gt; 0) or sells (&lt; 0) base against reserves (B, Q).</summary>
    public static bool TrySwap(UInt128 baseReserve, UInt128 quoteReserve, long peg, long baseDelta, out Swap swap)
    {
        swap = default;
        UInt128 k = checked(baseReserve * quoteReserve);
        if (baseDelta > 0)
        {
            if ((UInt128)(ulong)baseDelta >= baseReserve)
            {
                return false;
            }

            UInt128 b = baseReserve - (ulong)baseDelta;
            UInt128 q = CeilDiv(k, b);
            long cost = checked((long)FullMath.MulDiv(q - quoteReserve, (ulong)peg, PegPrecision, Rounding.Up));
            swap = new Swap(cost, b, q);
            return true;
        }
        else
        {
            UInt128 b = checked(baseReserve + (ulong)(-baseDelta));
            UInt128 q = CeilDiv(k, b);
            long proceeds = checked((long)FullMath.MulDiv(quoteReserve - q, (ulong)peg, PegPrecision, Rounding.Down));
            swap = new Swap(-proceeds, b, q);
            return true;
        }
    }

    private static UInt128 CeilDiv(UInt128 a, UInt128 b) => (a / b) + (a % b == 0 ? UInt128.Zero : UInt128.One);
}
