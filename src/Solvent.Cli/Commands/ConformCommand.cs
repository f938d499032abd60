using System.CommandLine;
using System.Text.Json;
using Solvent.Core.Math;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent conform</c>: the conformance suite's entry point for pure formulas that no eval request
/// exposes: compounded and linear interest factors, Drift-form size-premium margin fractions and vAMM reserves after
/// a swap, and EIP-712 signed actions (see tests/conformance/run.js for the JSON shapes); health figures go through <c>solvent eval --json</c>.
/// </summary>
internal static class ConformCommand
{
    public static Command Build()
    {
        var cmd = new Command("conform", "Compute formula cases for the conformance suite (JSON on stdin and stdout)");
        cmd.SetAction(_ =>
        {
            using JsonDocument doc = JsonDocument.Parse(Console.In.ReadToEnd());
            var factors = new List<string>();
            foreach (JsonElement c in doc.RootElement.TryGetProperty("compound", out JsonElement ce) ? ce.EnumerateArray() : default)
            {
                if (!DecimalString.TryParse(c.GetProperty("rate").GetString(), 27, out Int128 rate, out string err) || rate < 0)
                {
                    Console.Error.WriteLine($"error: rate: {err}");
                    return 2;
                }

                long seconds = c.GetProperty("seconds").GetInt64();
                factors.Add(InterestMath.CompoundedFactor((UInt128)rate, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            // Linear (supply-index) interest factors, same shape as the compounded ones.
            var linear = new List<string>();
            foreach (JsonElement c in doc.RootElement.TryGetProperty("linear", out JsonElement le) ? le.EnumerateArray() : default)
            {
                if (!DecimalString.TryParse(c.GetProperty("rate").GetString(), 27, out Int128 rate, out string err) || rate < 0)
                {
                    Console.Error.WriteLine($"error: rate: {err}");
                    return 2;
                }

                linear.Add(InterestMath.LinearFactor((UInt128)rate, c.GetProperty("seconds").GetInt64()).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            // Drift-form initial margin fraction with size premium (ppm in, ppm out).
            var premiums = new List<long>();
            if (doc.RootElement.TryGetProperty("sizePremium", out JsonElement sp))
            {
                foreach (JsonElement c in sp.EnumerateArray())
                {
                    premiums.Add(Solvent.Core.Perps.MarginMath.SizePremiumFraction(
                        c.GetProperty("fraction").GetInt64(), c.GetProperty("size").GetInt64(), c.GetProperty("baseQd").GetInt32(), c.GetProperty("imfFactor").GetInt64()));
                }
            }

            // Virtual AMM reserves after a base swap (delta > 0: the trader buys base).
            var swaps = new List<string[]>();
            if (doc.RootElement.TryGetProperty("ammSwap", out JsonElement sw))
            {
                foreach (JsonElement c in sw.EnumerateArray())
                {
                    UInt128 b = UInt128.Parse(c.GetProperty("base").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    UInt128 q = UInt128.Parse(c.GetProperty("quote").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    long delta = long.Parse(c.GetProperty("delta").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    bool ok = Solvent.Core.Perps.VirtualAmm.TrySwap(b, q, Solvent.Core.Perps.VirtualAmm.PegPrecision, delta, out var r);
                    swaps.Add(ok ? [r.NewBase.ToString(System.Globalization.CultureInfo.InvariantCulture), r.NewQuote.ToString(System.Globalization.CultureInfo.InvariantCulture)] : []);
                }
            }

            // Unrealized PnL with unsettled funding, as health counts it (9-decimal base, 6-decimal quote).
            var pnls = new List<long>();
            if (doc.RootElement.TryGetProperty("pnl", out JsonElement pe))
            {
                foreach (JsonElement c in pe.EnumerateArray())
                {
                    long size = c.GetProperty("size").GetInt64();
                    long price = c.GetProperty("price").GetInt64();
                    Int128 delta = Int128.Parse(c.GetProperty("fundingDelta").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    long divisor = (long)Precision.Pow10(9 + Precision.PriceDecimals - Precision.ValueDecimals);
                    pnls.Add(checked(Solvent.Core.Risk.PerpHealth.Notional(size, price, divisor) + c.GetProperty("quote").GetInt64()
                        - Solvent.Core.Perps.FundingMath.Owed(size, delta, 0, 9)));
                }
            }

            // EIP-712 signed actions from ethers/viem, decoded and re-signed in one process (see ConformEip712).
            object? eip712 = doc.RootElement.TryGetProperty("eip712", out JsonElement ee) ? ConformEip712.Run(ee) : null;

            Console.Out.WriteLine(JsonSerializer.Serialize(new { compound = factors, linear, sizePremium = premiums, ammSwap = swaps, pnl = pnls, eip712 }));
            return 0;
        });
        return cmd;
    }
}
