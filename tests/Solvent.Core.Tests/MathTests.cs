using System.Numerics;
using CsCheck;
using Solvent.Core.Math;

namespace Solvent.Core.Tests;

/// <summary>The 256-bit mul-div routines against BigInteger as an independent oracle.</summary>
public class MathTests
{
    private static readonly BigInteger Ray = BigInteger.Pow(10, 27);

    private static BigInteger Big(UInt128 v) => BigInteger.Parse(v.ToString());

    private static readonly Gen<UInt128> GenU128 =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[1, 127], (hi, lo, bits) => ((new UInt128(hi, lo)) >> (128 - bits)));

    [Fact]
    public void MulDivRay_matches_bigint_in_every_rounding()
    {
        Gen.Select(GenU128, GenU128).Sample((a, b) =>
        {
            BigInteger p = Big(a) * Big(b);
            BigInteger floor = p / Ray;
            if (floor > Big(UInt128.MaxValue) / 2)
            {
                return;
            }

            Assert.Equal(floor, Big(FullMath.MulDivRay(a, b, Rounding.Down)));
            Assert.Equal((p + Ray - 1) / Ray, Big(FullMath.MulDivRay(a, b, Rounding.Up)));
            Assert.Equal((p + (Ray / 2)) / Ray, Big(FullMath.MulDivRay(a, b, Rounding.HalfUp)));
        }, iter: 20_000);
    }

    [Fact]
    public void MulDiv_128_matches_bigint()
    {
        Gen.Select(GenU128, GenU128, GenU128).Sample((a, b, d) =>
        {
            if (d == 0)
            {
                return;
            }

            BigInteger p = Big(a) * Big(b);
            BigInteger q = p / Big(d);
            if (q >= Big(UInt128.MaxValue))
            {
                Assert.Throws<OverflowException>(() => FullMath.MulDiv(a, b, d, Rounding.Down));
                return;
            }

            Assert.Equal(q, Big(FullMath.MulDiv(a, b, d, Rounding.Down)));
            BigInteger up = (p + Big(d) - 1) / Big(d);
            Assert.Equal(up, Big(FullMath.MulDiv(a, b, d, Rounding.Up)));
        }, iter: 20_000);
    }

    [Fact]
    public void DivByRay_matches_bigint()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.ULong[1, ulong.MaxValue], Gen.Int[0, 100]).Sample((amount, lo, hiBits) =>
        {
            // indexes from well below a ray up to ~1e29
            UInt128 idx = (new UInt128((ulong)hiBits * 50_000_000_000UL / 100, lo)) | 1;
            BigInteger n = new BigInteger(amount) * Ray;
            BigInteger floor = n / Big(idx);
            if (floor > Big(UInt128.MaxValue))
            {
                return;
            }

            Assert.Equal(floor, Big(FullMath.DivByRay(amount, idx, Rounding.Down)));
            Assert.Equal((n + Big(idx) - 1) / Big(idx), Big(FullMath.DivByRay(amount, idx, Rounding.Up)));
        }, iter: 20_000);
    }

    [Fact]
    public void RayIndex_fast_path_agrees_with_the_256_bit_path()
    {
        Gen.Select(Gen.ULong[0, long.MaxValue], Gen.ULong, Gen.Int[0, 40]).Sample((s, lo, grow) =>
        {
            UInt128 idx = Precision.Ray + (new UInt128((ulong)grow * 1_000_000_000UL, lo) % (Precision.Ray * 50));
            var ri = new RayIndex(idx);
            Assert.Equal(FullMath.MulDivRay(s, idx, Rounding.Down), ri.Apply(s, Rounding.Down));
            Assert.Equal(FullMath.MulDivRay(s, idx, Rounding.Up), ri.Apply(s, Rounding.Up));
            Assert.Equal(FullMath.DivByRay((long)s, idx, Rounding.Down), ri.Scale(s, Rounding.Down));
            Assert.Equal(FullMath.DivByRay((long)s, idx, Rounding.Up), ri.Scale(s, Rounding.Up));

            // Below a ray too (after a supplier haircut).
            UInt128 low = (idx % Precision.Ray) + 1;
            var rl = new RayIndex(low);
            Assert.Equal(FullMath.MulDivRay(s, low, Rounding.Down), rl.Apply(s, Rounding.Down));
            if (low >= Precision.Ray >> 20 && FullMath.MulDiv(s, Precision.Ray, low, Rounding.Up) <= ulong.MaxValue)
            {
                Assert.Equal(FullMath.DivByRay((long)s, low, Rounding.Up), rl.Scale(s, Rounding.Up));
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Integer_square_root_is_the_floor()
    {
        Gen.Select(Gen.ULong, Gen.ULong).Sample((hi, lo) =>
        {
            foreach (UInt128 n in new[] { (UInt128)lo, new UInt128(hi >> 20, lo) })
            {
                UInt128 r = IntSqrt.Floor(n);
                Assert.True(r * r <= n && (r + 1) * (r + 1) > n, $"√{n} = {r}");
            }
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("1.5", 6, "1500000", "1.5")]
    [InlineData("-0.000001", 6, "-1", "-0.000001")]
    [InlineData("42", 0, "42", "42")]
    [InlineData("0.10000", 1, "1", "0.1")]
    [InlineData("+7.", 2, "700", "7")]
    public void DecimalString_parses_and_formats_exactly(string text, int decimals, string raw, string formatted)
    {
        Assert.True(DecimalString.TryParse(text, decimals, out Int128 v, out _));
        Assert.Equal(raw, v.ToString());
        Assert.Equal(formatted, DecimalString.Format(v, decimals));
    }

    [Theory]
    [InlineData("1.2345678", 6)]
    [InlineData("abc", 6)]
    [InlineData("1e5", 6)]
    [InlineData("", 6)]
    [InlineData("99999999999999999999999999999999999999999", 0)]
    public void DecimalString_rejects_what_would_lose_information(string text, int decimals) =>
        Assert.False(DecimalString.TryParse(text, decimals, out _, out _));
}
