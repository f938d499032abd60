using Solvent.Core.Perps.Book;

namespace Solvent.Cli.Bench;

/// <summary>
/// The benchmark's margin model behind the book: per account collateral, position and quote; every fill is
/// checked against initial margin (|position| × price × IMF ≤ collateral + quote + position × price) for
/// both sides and charged taker and maker fees, in checked 128-bit integer arithmetic.
/// </summary>
internal struct BookMarginHooks(long[] collateral, long[] position, long[] quote, LiveOrders live) : IMatchHooks
{
    public const long ImfPpm = 50_000;
    public const long TakerFeePpm = 500;
    public const long MakerFeePpm = -100;

    public long Fills;

    public readonly long Position(int owner) => position[owner];

    public readonly FillCheck Check(int taker, int maker, OrderSide takerSide, long price, long size)
    {
        long d = takerSide == OrderSide.Buy ? size : -size;
        if (!Margined(maker, -d, price))
        {
            return FillCheck.RemoveMaker;
        }

        return Margined(taker, d, price) ? FillCheck.Fill : FillCheck.StopTaker;
    }

    private readonly bool Margined(int a, long d, long price)
    {
        long p = checked(position[a] + d);
        Int128 q = (Int128)quote[a] - ((Int128)d * price);
        Int128 equity = collateral[a] + q + ((Int128)p * price);
        Int128 required = (Int128)System.Math.Abs(p) * price * ImfPpm / 1_000_000;
        return equity >= required;
    }

    public readonly void Preview(int taker, int maker, OrderSide takerSide, long price, long size)
    {
    }

    public readonly void EndPreview()
    {
    }

    public void Filled(in BookFill f)
    {
        long d = f.TakerSide == OrderSide.Buy ? f.Size : -f.Size;
        long notional = checked(f.Size * f.Price);
        long takerFee = (notional * TakerFeePpm + 999_999) / 1_000_000;
        long makerFee = -(notional * -MakerFeePpm / 1_000_000);
        position[f.Taker] += d;
        position[f.Maker] -= d;
        quote[f.Taker] = checked(quote[f.Taker] - (d * f.Price) - takerFee);
        quote[f.Maker] = checked(quote[f.Maker] + (d * f.Price) - makerFee);
        Fills++;
        if (f.MakerRemaining == 0)
        {
            live.Remove(f.MakerOrder);
        }
    }

    public readonly void Removed(long orderId, int owner, RemovalReason reason) => live.Remove(orderId);
}
