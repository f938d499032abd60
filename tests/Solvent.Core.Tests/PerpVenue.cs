using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Tests;

/// <summary>A small perp venue: USDC (weight 1) and TST (index $100), one market TST-PERP with IMF 10%, MMF 5%.</summary>
internal static class PerpVenue
{
    public const int Usdc = 0, Tst = 1, Perp = 0;

    public static string Json(string marketExtra = "") => $$"""
    {
      "name": "perp test venue", "chainId": 7, "genesisTime": 1700000000,
      "governance": "0x00000000000000000000000000000000000000a1", "quoteAsset": "USDC",
      "liquidation": { "closeFactor": "0.5", "fullCloseHealthFactor": "0.95", "healthTarget": "1.05", "dustThreshold": "0" },
      "perps": { "fundingInterval": 3600, "liquidationBuffer": "0.1", "backstopDelayBlocks": 3, "dustNotional": "1" },
      "assets": [
        { "symbol": "USDC", "decimals": 6, "quantumDecimals": 6, "initialPrice": "1",
          "initialAssetWeight": "1", "maintenanceAssetWeight": "1", "initialLiabilityWeight": "1", "maintenanceLiabilityWeight": "1",
          "liquidationPenalty": "0", "protocolShare": "0", "borrowable": true, "collateral": true,
          "rateModel": { "type": "kinked", "baseRate": "0", "slope1": "0.04", "slope2": "0.6", "optimalUtilization": "0.9", "reserveFactor": "0.1" } },
        { "symbol": "TST", "decimals": 9, "quantumDecimals": 9, "initialPrice": "100",
          "initialAssetWeight": "0", "maintenanceAssetWeight": "0", "initialLiabilityWeight": "1", "maintenanceLiabilityWeight": "1",
          "liquidationPenalty": "0", "protocolShare": "0", "borrowable": false, "collateral": false }
      ],
      "perpMarkets": [
        { "symbol": "TST-PERP", "baseAsset": "TST", "tickSize": "0.01", "stepSize": "0.001", "ammBaseReserve": "1000000",
          "initialMarginFraction": "0.1", "maintenanceMarginFraction": "0.05",
          "openInterestLower": "1000000000", "openInterestUpper": "2000000000", "maxFundingRate": "0.001", "interestRate": "0.0000125",
          "liquidationPenalty": "0.01", "protocolShare": "0.5", "takerFee": "0" {{marketExtra}} }
      ]
    }
    """;

    public static Genesis Genesis(string marketExtra = "") => GenesisLoader.Parse(Json(marketExtra));

    public static long Usd(string human) => Q(human, 6);

    public static long Base(string human) => Q(human, 9);

    public static long Q(string human, int decimals)
    {
        Assert.True(DecimalString.TryParseLong(human, decimals, out long v, out string err), err);
        return v;
    }

    /// <summary>Imports Usdc and a position entered at <paramref name="entry"/> (the AMM takes the other side).</summary>
    public static void Import(Engine e, AccountKey k, string usdc, string size, string entry)
    {
        e.ImportBalance(k, MarginMode.Cross, Usdc, Usd(usdc));
        long s = Base(size);
        long quote = -(long)Perps.FundingMath.FloorDiv((Int128)s * TestVenue.Px(entry), e.Pools[Tst].ValueDivisor);
        e.ImportPosition(k, MarginMode.Cross, Perp, s, quote);
    }

    /// <summary>Asserts Σ sizes = 0 and the market ledger and settlement-asset books balance exactly.</summary>
    public static void AssertLedgers(Engine e, long externalCash)
    {
        foreach (PerpMarket m in e.Markets)
        {
            long sizes = 0;
            Int128 quotes = 0;
            for (int id = 0; id < e.Accounts.Count; id++)
            {
                sizes += e.Accounts.Size(id, m.Config.Id);
                quotes += e.Accounts.Quote(id, m.Config.Id);
            }

            Assert.True(sizes == 0, $"{m.Config.Symbol}: Σ sizes = {sizes}");
            Int128 ledger = quotes + m.FeePool + m.Insurance + m.FundingSettled + m.SettledPnl;
            Assert.True(ledger == 0, $"{m.Config.Symbol}: Σ quotes + fee pool + insurance + funding + settled = {ledger}");
            Assert.True(m.SettledPnl <= 0, $"{m.Config.Symbol}: settled {m.SettledPnl} more profit than loss into the quote asset (the lenders would fund it)");
        }

        AssetPool q = e.Pools[e.Genesis.QuoteAsset];
        Assert.Equal(externalCash, q.Cash);
        Assert.Equal(q.Cash, q.SupplyClaims - q.DebtClaims + q.Treasury + q.Insurance + q.RoundingSurplus - q.BadDebt - q.PerpSettled);
        long scaled = 0;
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            scaled += System.Math.Max(0, e.Accounts.Scaled(id, e.Genesis.QuoteAsset));
        }

        Assert.Equal(q.TotalScaledSupply, scaled);
    }

    public static EngineAction Order(int user, string size, string worst = "0", bool reduceOnly = false) =>
        new PlaceOrder(TestVenue.User(user), TestVenue.Acct(user), Perp, Base(size), TestVenue.Px(worst), reduceOnly);
}
