using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// The one table of signable actions. Each entry lists the EIP-712 fields in order (a <c>uint64 nonce</c>
/// is appended to every type), how to build the Core record from them and how to write them back.
/// Subaccounts are flattened to an owner <c>address</c> and a <c>uint32</c> number so wallets show plain fields.
/// Adding a type is one <c>Add</c> call.
/// </summary>
public static class ActionTypes
{
    private static readonly List<ActionType> List = [];
    private static readonly Dictionary<Type, ActionType> ByClr = [];

    static ActionTypes()
    {
        Add<Deposit>("Deposit", Balance(), (f, s) => new Deposit(s, f.Account(0), f.Id(2), f.I64(3)), (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount));
        Add<Withdraw>("Withdraw", Balance(), (f, s) => new Withdraw(s, f.Account(0), f.Id(2), f.I64(3)), (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount));
        Add<Borrow>("Borrow", Balance(), (f, s) => new Borrow(s, f.Account(0), f.Id(2), f.I64(3)), (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount));
        Add<Repay>("Repay", Balance(), (f, s) => new Repay(s, f.Account(0), f.Id(2), f.I64(3)), (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount));
        // With a settlement section, tokens leave only to a vault chain: the destination is part of what the owner signs.
        Add<WithdrawTo>("WithdrawTo", [.. Balance(), U64("chainId", long.MaxValue), Addr("recipient")],
            (f, s) => new WithdrawTo(s, f.Account(0), f.Id(2), f.I64(3), (long)f.U64(4), f.Address(5)),
            (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount).U64(checked((ulong)a.ChainId)).Address(a.Recipient));
        Add<BorrowTo>("BorrowTo", [.. Balance(), U64("chainId", long.MaxValue), Addr("recipient")],
            (f, s) => new BorrowTo(s, f.Account(0), f.Id(2), f.I64(3), (long)f.U64(4), f.Address(5)),
            (a, w) => w.Account(a.Account).Id(a.Asset).I64(a.Amount).U64(checked((ulong)a.ChainId)).Address(a.Recipient));
        Add<OpenSubaccount>("OpenSubaccount", [Addr("owner"), U32("subaccount"), U8("mode", (ulong)MarginMode.Isolated)],
            (f, s) => new OpenSubaccount(s, f.Account(0), (MarginMode)f.U32(2)),
            (a, w) => w.Account(a.Account).U32((uint)a.Mode));
        Add<Transfer>("Transfer", [Addr("fromOwner"), U32("fromSubaccount"), Addr("toOwner"), U32("toSubaccount"), Id("asset"), I64("amount")],
            (f, s) => new Transfer(s, f.Account(0), f.Account(2), f.Id(4), f.I64(5)),
            (a, w) => w.Account(a.From).Account(a.To).Id(a.Asset).I64(a.Amount));
        Add<Liquidate>("Liquidate", [.. Pair("liquidator"), .. Pair("target"), Id("debtAsset"), Id("collateralAsset"), I64("repayAmount")],
            (f, s) => new Liquidate(s, f.Account(0), f.Account(2), f.Id(4), f.Id(5), f.I64(6)),
            (a, w) => w.Account(a.Liquidator).Account(a.Target).Id(a.DebtAsset).Id(a.CollateralAsset).I64(a.RepayAmount));
        Add<PlaceOrder>("PlaceOrder", [Addr("owner"), U32("subaccount"), Id("market"), I64("size"), I64("worstPrice"), Bool("reduceOnly")],
            (f, s) => new PlaceOrder(s, f.Account(0), f.Id(2), f.I64(3), f.I64(4), f.Bool(5)),
            (a, w) => w.Account(a.Account).Id(a.Market).I64(a.Size).I64(a.WorstPrice).Bool(a.ReduceOnly));
        // Order book: side as a bool (true = buy), enums as bounded uint8, ids and expiry as uint64 within Core's long range;
        // price and size stay int64 so Core answers a non-positive one with its own stable code.
        Add<PlaceBookOrder>("PlaceBookOrder",
            [Addr("owner"), U32("subaccount"), Id("market"), Bool("buy"), I64("price"), I64("size"), U8("orderType", (ulong)OrderType.FillOrKill),
                U8("timeInForce", (ulong)TimeInForce.GoodTilBlock), U64("expiryBlock", long.MaxValue), Bool("reduceOnly")],
            (f, s) => new PlaceBookOrder(s, f.Account(0), f.Id(2), f.Bool(3), f.I64(4), f.I64(5), (OrderType)f.U32(6), (TimeInForce)f.U32(7), (long)f.U64(8), f.Bool(9)),
            (a, w) => w.Account(a.Account).Id(a.Market).Bool(a.Buy).I64(a.Price).I64(a.Size).U32((uint)a.Type).U32((uint)a.Tif).U64(checked((ulong)a.ExpiryBlock)).Bool(a.ReduceOnly));
        Add<CancelOrder>("CancelOrder", [Addr("owner"), U32("subaccount"), Id("market"), U64("orderId", long.MaxValue)],
            (f, s) => new CancelOrder(s, f.Account(0), f.Id(2), (long)f.U64(3)),
            (a, w) => w.Account(a.Account).Id(a.Market).U64(checked((ulong)a.OrderId)));
        Add<CancelAllOrders>("CancelAllOrders", [Addr("owner"), U32("subaccount"), Id("market")],
            (f, s) => new CancelAllOrders(s, f.Account(0), f.Id(2)),
            (a, w) => w.Account(a.Account).Id(a.Market));
        Add<ReplaceOrder>("ReplaceOrder", [Addr("owner"), U32("subaccount"), Id("market"), U64("orderId", long.MaxValue), I64("price"), I64("size")],
            (f, s) => new ReplaceOrder(s, f.Account(0), f.Id(2), (long)f.U64(3), f.I64(4), f.I64(5)),
            (a, w) => w.Account(a.Account).Id(a.Market).U64(checked((ulong)a.OrderId)).I64(a.Price).I64(a.Size));
        Add<LiquidatePerp>("LiquidatePerp", [.. Pair("liquidator"), .. Pair("target"), Id("market"), I64("size")],
            (f, s) => new LiquidatePerp(s, f.Account(0), f.Account(2), f.Id(4), f.I64(5)),
            (a, w) => w.Account(a.Liquidator).Account(a.Target).Id(a.Market).I64(a.Size));
        Add<FlagLiquidatable>("FlagLiquidatable", [.. Pair("target")],
            (f, s) => new FlagLiquidatable(s, f.Account(0)),
            (a, w) => w.Account(a.Target));
        Add<BackstopLiquidate>("BackstopLiquidate", [.. Pair("target"), Id("market")],
            (f, s) => new BackstopLiquidate(s, f.Account(0), f.Id(2)),
            (a, w) => w.Account(a.Target).Id(a.Market));
        Add<FundInsurance>("FundInsurance", [Id("asset"), I64("amount")],
            (f, s) => new FundInsurance(s, f.Id(0), f.I64(1)),
            (a, w) => w.Id(a.Asset).I64(a.Amount));
        Add<FundMarketInsurance>("FundMarketInsurance", [.. Pair("from"), Id("market"), I64("amount")],
            (f, s) => new FundMarketInsurance(s, f.Account(0), f.Id(2), f.I64(3)),
            (a, w) => w.Account(a.From).Id(a.Market).I64(a.Amount));
        Add<WriteOffBadDebt>("WriteOffBadDebt", [.. Pair("caller"), .. Pair("target")],
            (f, s) => new WriteOffBadDebt(s, f.Account(0), f.Account(2)),
            (a, w) => w.Account(a.Caller).Account(a.Target));

        // Governance.
        Add<SetOraclePrice>("SetOraclePrice", [Id("asset"), I64("price")],
            (f, s) => new SetOraclePrice(s, f.Id(0), f.I64(1)),
            (a, w) => w.Id(a.Asset).I64(a.Price));
        Add<UpdateAssetRisk>("UpdateAssetRisk", AssetRiskFields(), BuildAssetRisk, WriteAssetRisk);
        Add<UpdateLiquidationConfig>("UpdateLiquidationConfig", [I64("closeFactor"), I64("fullCloseHealthFactor"), I64("healthTarget"), I64("dustThreshold")],
            (f, s) => new UpdateLiquidationConfig(s, new LiquidationConfig(f.I64(0), f.I64(1), f.I64(2), f.I64(3))),
            (a, w) => w.I64(a.Config.CloseFactor).I64(a.Config.FullCloseHealthFactor).I64(a.Config.HealthTarget).I64(a.Config.DustThreshold));
        Add<RepegAmm>("RepegAmm", [Id("market"), I64("price")],
            (f, s) => new RepegAmm(s, f.Id(0), f.I64(1)),
            (a, w) => w.Id(a.Market).I64(a.Price));
        Add<AdjustAmmDepth>("AdjustAmmDepth", [Id("market"), I64("baseReserve")],
            (f, s) => new AdjustAmmDepth(s, f.Id(0), f.I64(1)),
            (a, w) => w.Id(a.Market).I64(a.BaseReserve));
        Add<UpdateMarketRisk>("UpdateMarketRisk", MarketRiskFields(), BuildMarketRisk, WriteMarketRisk);
        Add<TopUpFeePool>("TopUpFeePool", [Id("market"), I64("amount")],
            (f, s) => new TopUpFeePool(s, f.Id(0), f.I64(1)),
            (a, w) => w.Id(a.Market).I64(a.Amount));

        // Oracle network: publishers' reports (publisher = recovered signer) and governance's feed resume.
        // Core holds these as long; the wire types are unsigned with Core's range as the cap.
        Add<PriceReport>("PriceReport", [Id("feed"), I64("price"), U64("confidence", long.MaxValue), U64("publishTime", long.MaxValue)],
            (f, s) => new PriceReport(s, f.Id(0), f.I64(1), (long)f.U64(2), (long)f.U64(3)),
            (a, w) => w.Id(a.Feed).I64(a.Price).U64(checked((ulong)a.Confidence)).U64(checked((ulong)a.PublishTime)));
        Add<VolatilityReport>("VolatilityReport", [Id("feed"), U64("volatility", long.MaxValue), U64("publishTime", long.MaxValue)],
            (f, s) => new VolatilityReport(s, f.Id(0), (long)f.U64(1), (long)f.U64(2)),
            (a, w) => w.Id(a.Feed).U64(checked((ulong)a.Volatility)).U64(checked((ulong)a.PublishTime)));
        Add<ResumeOracleFeed>("ResumeOracleFeed", [Id("feed")],
            (f, s) => new ResumeOracleFeed(s, f.Id(0)),
            (a, w) => w.Id(a.Feed));
    }

    /// <summary>Every signable type, in table order.</summary>
    public static IReadOnlyList<ActionType> All => List;

    /// <summary>The type of a Core action, or null when the action is not user-signable.</summary>
    public static ActionType? Of(EngineAction action) => ByClr.GetValueOrDefault(action.GetType());

    /// <summary>Looks a type up by its EIP-712 name (exact, case-sensitive).</summary>
    public static ActionType? Find(string name)
    {
        foreach (ActionType t in List)
        {
            if (t.Name == name)
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>
    /// Registers a type: <paramref name="fields"/> without the nonce (appended here), a builder from decoded
    /// fields plus signer, and a writer of the same fields in the same order.
    /// </summary>
    public static void Add<T>(string name, FieldSpec[] fields, BuildAction build, Action<T, FieldWriter> write)
        where T : EngineAction
    {
        lock (List)
        {
            if (Find(name) is not null || ByClr.ContainsKey(typeof(T)))
            {
                throw new InvalidOperationException($"action type {name} is already registered");
            }

            if (fields.Length >= 64)
            {
                // The decoder tracks seen fields in one 64-bit mask (the nonce takes the last bit).
                throw new ArgumentException($"action type {name} has more than 63 fields", nameof(fields));
            }

            var type = new ActionType(name, typeof(T), [.. fields, U64("nonce")], build, (a, w) => write((T)a, w));
            List.Add(type);
            ByClr[typeof(T)] = type;
        }
    }

    /// <summary>An <c>address</c> field.</summary>
    public static FieldSpec Addr(string name) => new(name, FieldKind.Address, 0);

    /// <summary>A <c>bool</c> field.</summary>
    public static FieldSpec Bool(string name) => new(name, FieldKind.Bool, 0);

    /// <summary>A <c>uint8</c> field capped at <paramref name="max"/>.</summary>
    public static FieldSpec U8(string name, ulong max = byte.MaxValue) => new(name, FieldKind.Uint8, max);

    /// <summary>A full-range <c>uint32</c> field (subaccount numbers).</summary>
    public static FieldSpec U32(string name) => new(name, FieldKind.Uint32, uint.MaxValue);

    /// <summary>A <c>uint32</c> asset/market/feed id; Core ids are <c>int</c>, so the cap is 2^31 − 1.</summary>
    public static FieldSpec Id(string name) => new(name, FieldKind.Uint32, int.MaxValue);

    /// <summary>A <c>uint64</c> field, full range unless capped (e.g. at <see cref="long.MaxValue"/> for Core <c>long</c>s that must not be negative).</summary>
    public static FieldSpec U64(string name, ulong max = ulong.MaxValue) => new(name, FieldKind.Uint64, max);

    /// <summary>An <c>int64</c> field.</summary>
    public static FieldSpec I64(string name) => new(name, FieldKind.Int64, 0);

    /// <summary>A full-range <c>uint128</c> field.</summary>
    public static FieldSpec U128(string name) => new(name, FieldKind.Uint128, UInt128.MaxValue);

    /// <summary>A subaccount as two fields: <c>{prefix}Owner</c> and <c>{prefix}Subaccount</c>.</summary>
    public static FieldSpec[] Pair(string prefix) => [Addr(prefix + "Owner"), U32(prefix + "Subaccount")];

    private static FieldSpec[] Balance() => [Addr("owner"), U32("subaccount"), Id("asset"), I64("amount")];

    // The kinked curve is the only rate model; its four rays travel as uint128 fields.
    private static FieldSpec[] AssetRiskFields() =>
    [
        Id("asset"), I64("initialAssetWeight"), I64("maintenanceAssetWeight"), I64("initialLiabilityWeight"), I64("maintenanceLiabilityWeight"),
        I64("liquidationPenalty"), I64("protocolShare"), I64("supplyCap"), I64("borrowCap"), Bool("borrowable"), Bool("collateral"),
        I64("reserveFactor"), Bool("paused"), U128("baseRate"), U128("slope1"), U128("slope2"), U128("optimalUtilization"), I64("minBorrow"),
    ];

    private static EngineAction BuildAssetRisk(FieldReader f, Address s) => new UpdateAssetRisk(s, f.Id(0), new AssetRiskParams
    {
        InitialAssetWeight = f.I64(1),
        MaintenanceAssetWeight = f.I64(2),
        InitialLiabilityWeight = f.I64(3),
        MaintenanceLiabilityWeight = f.I64(4),
        LiquidationPenalty = f.I64(5),
        ProtocolShare = f.I64(6),
        SupplyCap = f.I64(7),
        BorrowCap = f.I64(8),
        Borrowable = f.Bool(9),
        Collateral = f.Bool(10),
        ReserveFactor = f.I64(11),
        Paused = f.Bool(12),
        RateModel = new KinkedRateModel(f.U128(13), f.U128(14), f.U128(15), f.U128(16)),
        MinBorrow = f.I64(17),
    });

    private static void WriteAssetRisk(UpdateAssetRisk a, FieldWriter w)
    {
        AssetRiskParams r = a.Risk;
        if (r.RateModel is not KinkedRateModel k)
        {
            throw new NotSupportedException($"rate model '{r.RateModel.Kind}' has no EIP-712 encoding");
        }

        w.Id(a.Asset).I64(r.InitialAssetWeight).I64(r.MaintenanceAssetWeight).I64(r.InitialLiabilityWeight).I64(r.MaintenanceLiabilityWeight)
            .I64(r.LiquidationPenalty).I64(r.ProtocolShare).I64(r.SupplyCap).I64(r.BorrowCap).Bool(r.Borrowable).Bool(r.Collateral)
            .I64(r.ReserveFactor).Bool(r.Paused).U128(k.BaseRate).U128(k.Slope1).U128(k.Slope2).U128(k.OptimalUtilization).I64(r.MinBorrow);
    }

    private static FieldSpec[] MarketRiskFields() =>
    [
        Id("market"), I64("initialMarginFraction"), I64("maintenanceMarginFraction"), I64("openInterestLower"), I64("openInterestUpper"),
        I64("imfFactor"), I64("openInterestCap"), I64("maxFundingRate"), I64("interestRate"), I64("liquidationPenalty"), I64("protocolShare"),
        I64("takerFee"), I64("pnlInitialWeight"), I64("pnlMaintenanceWeight"), Bool("paused"), I64("minOrderSize"), I64("fillPriceBand"),
    ];

    private static EngineAction BuildMarketRisk(FieldReader f, Address s) => new UpdateMarketRisk(s, f.Id(0), new PerpRiskParams
    {
        InitialMarginFraction = f.I64(1),
        MaintenanceMarginFraction = f.I64(2),
        OpenInterestLower = f.I64(3),
        OpenInterestUpper = f.I64(4),
        ImfFactor = f.I64(5),
        OpenInterestCap = f.I64(6),
        MaxFundingRate = f.I64(7),
        InterestRate = f.I64(8),
        LiquidationPenalty = f.I64(9),
        ProtocolShare = f.I64(10),
        TakerFee = f.I64(11),
        PnlInitialWeight = f.I64(12),
        PnlMaintenanceWeight = f.I64(13),
        Paused = f.Bool(14),
        MinOrderSize = f.I64(15),
        FillPriceBand = f.I64(16),
    });

    private static void WriteMarketRisk(UpdateMarketRisk a, FieldWriter w)
    {
        PerpRiskParams r = a.Risk;
        w.Id(a.Market).I64(r.InitialMarginFraction).I64(r.MaintenanceMarginFraction).I64(r.OpenInterestLower).I64(r.OpenInterestUpper)
            .I64(r.ImfFactor).I64(r.OpenInterestCap).I64(r.MaxFundingRate).I64(r.InterestRate).I64(r.LiquidationPenalty).I64(r.ProtocolShare)
            .I64(r.TakerFee).I64(r.PnlInitialWeight).I64(r.PnlMaintenanceWeight).Bool(r.Paused).I64(r.MinOrderSize).I64(r.FillPriceBand);
    }
}
