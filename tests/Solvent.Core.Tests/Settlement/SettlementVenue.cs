using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Settlement;
using Solvent.Core.State;

namespace Solvent.Core.Tests.Settlement;

/// <summary>
/// A bridged venue: USDC (quote) and TST ($100 collateral, borrowable) with a TST-PERP market; chain A (31337)
/// holds both tokens, chain B (31338) holds only USDC.
/// </summary>
internal sealed class SettlementVenue
{
    public const int Usdc = 0, Tst = 1, Perp = 0;
    public const long ChainA = 31337, ChainB = 31338;
    public static readonly Address Gov = Address.Parse("0x00000000000000000000000000000000000000a1");
    public static readonly Address UsdcA = Address.Parse("0x00000000000000000000000000000000000a0001");
    public static readonly Address TstA = Address.Parse("0x00000000000000000000000000000000000a0002");
    public static readonly Address UsdcB = Address.Parse("0x00000000000000000000000000000000000b0001");

    private readonly Dictionary<long, ulong> _nextDeposit = [];
    private readonly Dictionary<long, ulong> _nextForced = [];

    public SettlementVenue(string custody = "bridged") => Engine = new Engine(Genesis(custody));

    public Engine Engine { get; }

    public static string Settlement(string custody) => $$"""
      "settlement": {
        "custody": "{{custody}}", "validators": ["0x00000000000000000000000000000000000000b1"], "threshold": 1,
        "forcedDeadlineSeconds": 60, "commitEveryBlocks": 5,
        "chains": [
          { "chainId": 31338, "vault": "0x00000000000000000000000000000000000b0000", "confirmations": 2,
            "tokens": [ { "asset": "USDC", "token": "0x00000000000000000000000000000000000b0001" } ] },
          { "chainId": 31337, "vault": "0x00000000000000000000000000000000000a0000", "confirmations": 2,
            "tokens": [ { "asset": "USDC", "token": "0x00000000000000000000000000000000000a0001" },
                        { "asset": "TST", "token": "0x00000000000000000000000000000000000a0002" } ] }
        ]
      }
    """;

    public static string Json(string settlement) => $$"""
    {
      "name": "bridged test venue", "chainId": 7, "genesisTime": 1700000000,
      "governance": "0x00000000000000000000000000000000000000a1", "quoteAsset": "USDC",
      "liquidation": { "closeFactor": "0.5", "fullCloseHealthFactor": "0.95", "healthTarget": "1.05", "dustThreshold": "0" },
      "perps": { "fundingInterval": 3600, "liquidationBuffer": "0.1", "backstopDelayBlocks": 3, "dustNotional": "1" },
      "assets": [
        { "symbol": "USDC", "decimals": 6, "quantumDecimals": 6, "initialPrice": "1",
          "initialAssetWeight": "1", "maintenanceAssetWeight": "1", "initialLiabilityWeight": "1", "maintenanceLiabilityWeight": "1",
          "liquidationPenalty": "0", "protocolShare": "0", "borrowable": true, "collateral": true,
          "rateModel": { "type": "kinked", "baseRate": "0", "slope1": "0.04", "slope2": "0.6", "optimalUtilization": "0.9", "reserveFactor": "0.1" } },
        { "symbol": "TST", "decimals": 9, "quantumDecimals": 9, "initialPrice": "100",
          "initialAssetWeight": "0.8", "maintenanceAssetWeight": "0.85", "initialLiabilityWeight": "1.2", "maintenanceLiabilityWeight": "1.15",
          "liquidationPenalty": "0.05", "protocolShare": "0", "borrowable": true, "collateral": true,
          "rateModel": { "type": "kinked", "baseRate": "0", "slope1": "0.04", "slope2": "0.6", "optimalUtilization": "0.9", "reserveFactor": "0.1" } }
      ],
      "perpMarkets": [
        { "symbol": "TST-PERP", "baseAsset": "TST", "tickSize": "0.01", "stepSize": "0.001", "ammBaseReserve": "1000000",
          "initialMarginFraction": "0.1", "maintenanceMarginFraction": "0.05",
          "openInterestLower": "1000000000", "openInterestUpper": "2000000000", "maxFundingRate": "0.001", "interestRate": "0.0000125",
          "liquidationPenalty": "0.01", "protocolShare": "0.5", "takerFee": "0" }
      ]{{(settlement.Length > 0 ? "," : "")}}
      {{settlement}}
    }
    """;

    public static Genesis Genesis(string custody = "bridged") => GenesisLoader.Parse(Json(Settlement(custody)));

    public static Address User(int n) => new(0x1000UL + (ulong)n, 0, (uint)n);

    public static AccountKey Acct(int n, uint sub = 0) => new(User(n), sub);

    public static Address TokenOf(long chain, int asset) => chain == ChainB ? UsdcB : asset == Usdc ? UsdcA : TstA;

    public ActionResult Do(EngineAction a) => Engine.Apply(a);

    public ActionResult MustDo(EngineAction a)
    {
        ActionResult r = Engine.Apply(a);
        Assert.True(r.Ok, $"{a} rejected: {r.CodeName} {r.Message}");
        return r;
    }

    /// <summary>The next bridged deposit on <paramref name="chain"/> (ids counted here, as the vault would).</summary>
    public BridgedDeposit NextDeposit(long chain, int user, int asset, long amount, uint sub = 0)
    {
        ulong id = _nextDeposit.GetValueOrDefault(chain);
        _nextDeposit[chain] = id + 1;
        return new BridgedDeposit(chain, new byte[32], 0, id, User(user), sub, TokenOf(chain, asset), (UInt128)amount);
    }

    public ActionResult Deposit(long chain, int user, int asset, long amount, uint sub = 0) => MustDo(NextDeposit(chain, user, asset, amount, sub));

    public ForcedWithdrawal NextForced(long chain, int user, int asset, long amount, uint sub = 0)
    {
        ulong id = _nextForced.GetValueOrDefault(chain);
        _nextForced[chain] = id + 1;
        return new ForcedWithdrawal(chain, id, User(user), sub, TokenOf(chain, asset), (UInt128)amount);
    }

    public long Balance(int user, int asset, uint sub = 0)
    {
        int id = Engine.Accounts.Find(Acct(user, sub));
        return id < 0 ? 0 : Engine.Pools[asset].AmountOf(Engine.Accounts.Scaled(id, asset));
    }

    public long Custody(long chain, int asset) => Engine.Settlement!.CustodyOf(Engine.Settlement.Config.IndexOfChain(chain), asset);

    /// <summary>Asserts Σ exit leaves per (chain, token) ≤ custody and returns the leaves.</summary>
    public IReadOnlyList<ExitLeaf> AssertExitsCovered()
    {
        IReadOnlyList<ExitLeaf> leaves = Engine.ExitLeaves();
        SettlementState st = Engine.Settlement!;
        for (int c = 0; c < st.Config.Chains.Count; c++)
        {
            foreach (SettlementToken t in st.Config.Chains[c].Tokens)
            {
                long chainId = st.Config.Chains[c].ChainId;
                Int128 sum = 0;
                foreach (ExitLeaf l in leaves)
                {
                    if (l.ChainId == chainId && l.Token == t.Token)
                    {
                        sum += l.Amount;
                    }
                }

                long custody = st.CustodyOf(c, t.Asset);
                Assert.True(custody >= 0, $"custody of {t.Token} on {chainId} is negative: {custody}");
                Assert.True(sum <= custody, $"exit claims {sum} of {t.Token} on {chainId} exceed custody {custody}");
            }
        }

        for (int i = 1; i < leaves.Count; i++)
        {
            Assert.True(leaves[i - 1].CompareTo(leaves[i]) < 0, "exit leaves are sorted and unique");
        }

        return leaves;
    }
}
