using System.Security.Cryptography;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.Settlement;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// The protocol state machine: <c>(state, block) → (state', results, root)</c>. Single-threaded and
/// deterministic: integer math only, time from block headers, iteration in dense-id order. Every
/// action is validated against the current state before anything is written; a commit that still
/// overflows is undone, so a rejected action never changes the state root.
/// </summary>
public sealed partial class Engine
{
    private readonly AssetPool[] _pools;
    private readonly PerpMarket[] _markets;
    private readonly InitialHealthEstimate _estimate;
    private readonly EquityEstimate _equityEstimate;
    private readonly List<(int Id, int Market, long Size, long Quote, Int128 Snap)> _undoPositions = [];
    private readonly List<(int Market, PerpMarketSnapshot Old)> _undoMarkets = [];
    private readonly List<(int Id, long Old)> _undoFlags = [];
    private readonly List<int> _undoModes = [];
    private readonly List<(int Id, int Asset, long Old)> _undoBalances = [];
    private readonly List<(int Asset, PoolSnapshot Old)> _undoPools = [];
    private readonly List<EngineEvent> _events = [];
    private EngineEvent[] _eventBuffer = new EngineEvent[4096];
    private int _eventPos;
    private int _createdAccount = -1;
    private readonly AccountIdSet _dirty = new();

    /// <summary>Builds the genesis state.</summary>
    public Engine(Genesis genesis)
    {
        Genesis = genesis;
        _pools = new AssetPool[genesis.Assets.Count];
        for (int i = 0; i < _pools.Length; i++)
        {
            _pools[i] = new AssetPool(genesis.Assets[i], genesis.Risk[i], genesis.GenesisTime);
        }

        _estimate = new InitialHealthEstimate(_pools);
        _equityEstimate = new EquityEstimate(_pools);
        _markets = new PerpMarket[genesis.Markets.Count];
        Accounts = new AccountBook(_pools.Length, _markets.Length);
        for (int m = 0; m < _markets.Length; m++)
        {
            PerpMarketConfig c = genesis.Markets[m];
            AssetConfig baseAsset = genesis.Assets[c.BaseAsset];
            _markets[m] = new PerpMarket(c, genesis.MarketRisk[m], baseAsset.QuantumDecimals, baseAsset.InitialPrice, genesis.GenesisTime)
            {
                AmmAccount = Accounts.Create(AmmKey(m), MarginMode.Isolated),
                BackstopAccount = Accounts.Create(BackstopKey(m), MarginMode.Isolated),
            };
            SeedFeePool(_markets[m], c.FeePoolSeed);
        }

        InitOracles(genesis);
        Liquidation = genesis.Liquidation;
        PerpConfig = genesis.Perps;
        Time = genesis.GenesisTime;
        LastRoot = new byte[32];
        Settlement = genesis.Settlement is { } sc ? new SettlementState(sc) : null;
    }

    /// <summary>
    /// Books a genesis fee-pool seed as protocol-owned capital that entered the quote asset's pool at genesis,
    /// exactly as <c>FundMarketInsurance</c> books a payment into a market (cash in, negative settled PnL), so
    /// Σ quotes + FeePool + Insurance + FundingSettled + SettledPnl = 0 and the pool's cash identity hold
    /// from the genesis state on. A zero seed writes nothing, so venues without seeds keep their roots.
    /// </summary>
    private void SeedFeePool(PerpMarket m, long seed)
    {
        if (seed == 0)
        {
            return;
        }

        AssetPool q = _pools[Genesis.QuoteAsset];
        q.Cash = checked(q.Cash + seed);
        q.PerpSettled = checked(q.PerpSettled - seed);
        m.SettledPnl = checked(m.SettledPnl - seed);
        m.FeePool = checked(m.FeePool + seed);
    }

    /// <summary>The venue description this state started from.</summary>
    public Genesis Genesis { get; }

    /// <summary>Per-asset pools in dense-id order.</summary>
    public AssetPool[] Pools => _pools;

    /// <summary>Every subaccount.</summary>
    public AccountBook Accounts { get; }

    /// <summary>Perpetual markets in dense-id order.</summary>
    public PerpMarket[] Markets => _markets;

    /// <summary>Venue-wide perpetual rules.</summary>
    public PerpConfig PerpConfig { get; private set; }

    /// <summary>Account key of market <paramref name="m"/>'s AMM (the zero address has no key, so no one can sign for it).</summary>
    public static AccountKey AmmKey(int m) => new(Address.Zero, 1000u + (uint)m);

    /// <summary>Account key of market <paramref name="m"/>'s backstop (owned by its insurance fund).</summary>
    public static AccountKey BackstopKey(int m) => new(Address.Zero, 2000u + (uint)m);

    /// <summary>Whether a dense id is a protocol account (AMM or backstop), exempt from user rules and liquidation.</summary>
    public bool IsProtocolAccount(int id) => id < 2 * _markets.Length;

    /// <summary>Current liquidation rules.</summary>
    public LiquidationConfig Liquidation { get; private set; }

    /// <summary>Bumped whenever a parameter that changes every account's health changes (weights, margin fractions): derived indexes must rebuild.</summary>
    public long ParameterVersion { get; private set; }

    /// <summary>Moves the ids of subaccounts written since the last call into <paramref name="into"/> (each once), for incremental risk indexes.</summary>
    public void DrainDirty(List<int> into)
    {
        PeekDirty(into);
        _dirty.Clear();
    }

    private void MarkDirty(int id)
    {
        _dirty.Add(id);
        _writeOffCandidates.Add(id);
    }

    /// <summary>
    /// When set, every risk check takes its exact path: the fixed-point estimates that only wave through
    /// clearly safe actions are skipped. Decisions and state are the same either way; tests compare the two.
    /// </summary>
    internal bool ExactChecksOnly { get; set; }

    /// <summary>Height of the last applied block (0 at genesis).</summary>
    public long Height { get; private set; }

    /// <summary>Time of the last applied block.</summary>
    public long Time { get; private set; }

    /// <summary>State root after the last applied block.</summary>
    public byte[] LastRoot { get; private set; }

    /// <summary>
    /// Applies a block: checks the header follows the chain, accrues interest to the block time, then
    /// applies each action in order. Returns per-action results and the new state root.
    /// </summary>
    public BlockResult Apply(Block block)
    {
        BlockHeader h = block.Header;
        if (h.Height != Height + 1 || h.Time < Time || !h.PreviousRoot.AsSpan().SequenceEqual(LastRoot))
        {
            throw new InvalidBlockException(
                $"block {h.Height} at {h.Time} does not follow block {Height} at {Time} with root {Convert.ToHexString(LastRoot)}");
        }

        AdvanceTo(h.Time);
        Height = h.Height;
        var results = new ActionResult[block.Actions.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = Apply(block.Actions[i]);
        }

        IReadOnlyList<EngineEvent> endBlock = EndBlock();
        LastRoot = ComputeStateRoot();
        return new BlockResult(h, results, LastRoot) { EndBlockEvents = endBlock };
    }

    /// <summary>Moves time forward and accrues every pool (done by <see cref="Apply(Block)"/>; exposed for simulations that skip headers).</summary>
    public void AdvanceTo(long time)
    {
        if (time < Time)
        {
            throw new InvalidBlockException($"time {time} is before {Time}");
        }

        Time = time;
        foreach (AssetPool p in _pools)
        {
            AccrueOrFreeze(p, time);
        }

        foreach (PerpMarket m in _markets)
        {
            AdvanceFundingOrFreeze(m, time);
        }
    }

    /// <summary>Applies one action at the current block time. Never throws for bad input: the result carries the code.</summary>
    public ActionResult Apply(EngineAction action)
    {
        ClearUndo();
        _events.Clear();
        if (action is not null and not SystemAction && action.Signer == Address.Zero)
        {
            // No key signs for the zero address: it is what a failed signature recovery yields, and it owns the protocol accounts.
            return ActionResult.Reject(ErrorCode.Unauthorized, "the zero address cannot sign actions");
        }

        try
        {
            ActionResult r = (action is null ? null : CustodyRefusal(action)) ?? action switch
            {
                Deposit d => ApplyDeposit(d),
                Withdraw w => ApplyWithdraw(w.Signer, w.Account, w.Asset, w.Amount, allowBorrow: false),
                Borrow b => ApplyWithdraw(b.Signer, b.Account, b.Asset, b.Amount, allowBorrow: true),
                Repay r2 => ApplyRepay(r2),
                Transfer t => ApplyTransfer(t),
                OpenSubaccount o => ApplyOpen(o),
                FundInsurance f => ApplyFundInsurance(f),
                FundMarketInsurance fm => ApplyFundMarketInsurance(fm),
                Liquidate l => ApplyLiquidate(l),
                SetOraclePrice s => ApplySetPrice(s),
                UpdateAssetRisk u => ApplyUpdateRisk(u),
                UpdateLiquidationConfig c => ApplyUpdateLiquidation(c),
                PlaceOrder o2 => ApplyOrder(o2),
                PlaceBookOrder pb => ApplyPlaceBookOrder(pb),
                CancelOrder co => ApplyCancelOrder(co),
                CancelAllOrders ca => ApplyCancelAllOrders(ca),
                ReplaceOrder ro => ApplyReplaceOrder(ro),
                LiquidatePerp lp => ApplyLiquidatePerp(lp),
                FlagLiquidatable fl => ApplyFlag(fl),
                BackstopLiquidate bl => ApplyBackstop(bl),
                RepegAmm rp => ApplyRepeg(rp),
                TopUpFeePool tf => ApplyTopUpFeePool(tf),
                AdjustAmmDepth ad => ApplyAdjustDepth(ad),
                UpdateMarketRisk um => ApplyUpdateMarketRisk(um),
                PriceReport pr => ApplyPriceReport(pr),
                VolatilityReport vr => ApplyVolatilityReport(vr),
                ResumeOracleFeed rf => ApplyResumeFeed(rf),
                WriteOffBadDebt wo => ApplyWriteOff(wo),
                WithdrawTo wt => ApplyWithdrawTo(wt.Signer, wt.Account, wt.Asset, wt.Amount, wt.ChainId, wt.Recipient, allowBorrow: false),
                BorrowTo bt => ApplyWithdrawTo(bt.Signer, bt.Account, bt.Asset, bt.Amount, bt.ChainId, bt.Recipient, allowBorrow: true),
                BridgedDeposit bd => ApplyBridgedDeposit(bd),
                ForcedWithdrawal fw => ApplyForcedWithdrawal(fw),
                null => ActionResult.Reject(ErrorCode.InvalidParameter, "no action"),
                _ => ActionResult.Reject(ErrorCode.InvalidParameter, $"unsupported action {action.GetType().Name}"),
            };
            if (!r.Ok)
            {
                Rollback();
            }

            return r;
        }
        catch (Exception e) when (IsArithmetic(e))
        {
            Rollback();
            return ActionResult.Reject(ErrorCode.Overflow, "an amount is too large for the engine's integer range: " + e.Message);
        }
    }

    /// <summary>
    /// Loads a balance directly, bypassing action rules, for offline evaluation and simulation from a
    /// snapshot. A positive amount is booked as a deposit, a negative one as a borrow paid out.
    /// </summary>
    public void ImportBalance(AccountKey key, MarginMode mode, int asset, long amount)
    {
        if (amount == 0)
        {
            return;
        }

        AssetPool p = _pools[asset];
        int id = Accounts.Find(key);
        if (id < 0)
        {
            id = Accounts.Create(key, mode);
        }

        MarkDirty(id);
        long s = Accounts.Scaled(id, asset);
        BalanceChange c = amount > 0 ? BalanceChange.Credit(p, s, amount) : BalanceChange.Debit(p, s, -amount);
        Accounts.SetScaled(id, asset, c.NewScaled);
        p.TotalScaledSupply = checked(p.TotalScaledSupply + c.SupplyScaledDelta);
        p.TotalScaledDebt = checked(p.TotalScaledDebt + c.DebtScaledDelta);
        p.Cash = checked(p.Cash + amount);
        p.CloseBooks();
    }

    /// <summary>
    /// Price of <paramref name="asset"/> (USD × 1e8) at the edge of liquidation for subaccount
    /// <paramref name="id"/>, every other price fixed (see <see cref="LiquidationPriceSearch"/>);
    /// covers lending balances and perpetual positions on that asset's feed. Read-only.
    /// </summary>
    public long? LiquidationPriceOf(int id, int asset)
    {
        AssetPool p = _pools[asset];
        long saved = p.Price, savedAsset = p.InitialAssetPrice, savedLiability = p.InitialLiabilityPrice;
        try
        {
            // Searched up to 10,000× the current price; a probe whose figures leave the integer range
            // counts as liquidatable (only far-out probes of very large positions can overflow).
            long ceiling = saved > LiquidationPriceSearch.MaxPrice / 10_000 ? LiquidationPriceSearch.MaxPrice : saved * 10_000;
            return LiquidationPriceSearch.Find(
                price =>
                {
                    p.Price = price;
                    try
                    {
                        return !HealthOf(id).IsLiquidatable;
                    }
                    catch (OverflowException)
                    {
                        return false;
                    }
                },
                ceiling);
        }
        finally
        {
            p.Price = saved;
            p.SetInitialPrices(savedAsset, savedLiability);
        }
    }

    /// <summary>
    /// Loads a perpetual position directly (offline evaluation, simulation). The market's AMM takes the
    /// opposite side so sizes stay zero-sum.
    /// </summary>
    public void ImportPosition(AccountKey key, MarginMode mode, int market, long size, long quote)
    {
        PerpMarket m = _markets[market];
        int id = Accounts.Find(key);
        if (id < 0)
        {
            id = Accounts.Create(key, mode);
        }

        MarkDirty(id);
        MarkDirty(m.AmmAccount);
        long oldSize = Accounts.Size(id, market), ammOld = Accounts.Size(m.AmmAccount, market);
        long newSize = checked(oldSize + size), ammNew = checked(ammOld - size);
        PositionState user = Settled(id, market, out long owed);
        PositionState amm = Settled(m.AmmAccount, market, out long ammOwed);
        m.FundingSettled = checked(m.FundingSettled + owed + ammOwed);
        Accounts.SetPosition(id, market, newSize, checked(user.Quote + quote), m.FundingIndex);
        Accounts.SetPosition(m.AmmAccount, market, ammNew, checked(amm.Quote - quote), m.FundingIndex);
        m.OpenInterest = checked(m.OpenInterest + System.Math.Max(0, newSize) - System.Math.Max(0, oldSize) + System.Math.Max(0, ammNew) - System.Math.Max(0, ammOld));
    }

    /// <summary>Sets a price directly (offline evaluation and simulation; on-chain prices come through actions).</summary>
    public void ImportPrice(int asset, long price)
    {
        if (price <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), "price must be positive");
        }

        _pools[asset].Price = price;
        _feeds[asset]?.Reset(Time, price);
    }

    /// <summary>Maintenance health only (cheaper: skips initial-margin fractions); what liquidation scans need.</summary>
    public Int128 MaintenanceHealthOf(int id)
    {
        Health h = HealthCalculator.Evaluate(Accounts.Balances(id), _pools, Genesis.HealthModel);
        return _markets.Length == 0 ? h.MaintenanceHealth : PerpHealth.Add(h, Accounts.Sizes(id), Accounts.Quotes(id), Accounts.FundingSnapshots(id), _markets, _pools, maintenanceOnly: true).MaintenanceHealth;
    }

    /// <summary>Health of a subaccount at current prices: lending balances and perpetual positions.</summary>
    public Health HealthOf(int id)
    {
        Health h = HealthCalculator.Evaluate(Accounts.Balances(id), _pools, Genesis.HealthModel);
        return _markets.Length == 0 ? h : PerpHealth.Add(h, Accounts.Sizes(id), Accounts.Quotes(id), Accounts.FundingSnapshots(id), _markets, _pools);
    }

    /// <summary>SHA-256 over the canonical encoding of the whole state.</summary>
    public byte[] ComputeStateRoot()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashSink(hash);
        var w = new CanonicalWriter(sink);
        WriteCanonical(w);
        w.Flush();
        return hash.GetHashAndReset();
    }

    /// <summary>Writes the canonical encoding of global state then every account in id order.</summary>
    public void WriteCanonical(CanonicalWriter w)
    {
        w.WriteI64(Height);
        w.WriteI64(Time);
        w.WriteI64(Liquidation.CloseFactor);
        w.WriteI64(Liquidation.FullCloseHealthFactor);
        w.WriteI64(Liquidation.HealthTarget);
        w.WriteI64(Liquidation.DustThreshold);

        // The health model is genesis-fixed; an Aave-model venue commits to it in every root (written
        // only when not the default, so exact venues' encoding is unchanged).
        if (Genesis.HealthModel != HealthModel.Exact)
        {
            w.WriteI64((long)Genesis.HealthModel);
        }

        w.WriteI64(_pools.Length);
        foreach (AssetPool p in _pools)
        {
            p.WriteCanonical(w);
        }

        w.WriteI64(_markets.Length);
        foreach (PerpMarket m in _markets)
        {
            m.WriteCanonical(w);
        }

        WriteOracleCanonical(w);
        Accounts.WriteCanonical(w);

        // Written only when genesis has a settlement section, so venues without one keep their encoding.
        Settlement?.WriteCanonical(w);
        WriteBooksCanonical(w);
    }

    private sealed class HashSink(IncrementalHash hash) : IByteSink
    {
        public void Append(ReadOnlySpan<byte> bytes) => hash.AppendData(bytes);
    }

    private void ClearUndo()
    {
        _undoBalances.Clear();
        _undoPools.Clear();
        _undoPositions.Clear();
        _undoMarkets.Clear();
        _undoFlags.Clear();
        _undoModes.Clear();
        _undoSettlement.Clear();
        _createdAccount = -1;
    }

    private void Rollback()
    {
        RollbackSettlement();
        for (int i = _undoBalances.Count - 1; i >= 0; i--)
        {
            (int id, int asset, long old) = _undoBalances[i];
            Accounts.SetScaled(id, asset, old);
        }

        for (int i = _undoPools.Count - 1; i >= 0; i--)
        {
            _undoPools[i].Old.RestoreTo(_pools[_undoPools[i].Asset]);
        }

        for (int i = _undoPositions.Count - 1; i >= 0; i--)
        {
            (int id, int m, long size, long quote, Int128 snap) = _undoPositions[i];
            Accounts.SetPosition(id, m, size, quote, snap);
        }

        for (int i = _undoMarkets.Count - 1; i >= 0; i--)
        {
            _markets[_undoMarkets[i].Market].Restore(_undoMarkets[i].Old);
        }

        for (int i = _undoFlags.Count - 1; i >= 0; i--)
        {
            Accounts.SetFlagged(_undoFlags[i].Id, _undoFlags[i].Old);
        }

        foreach (int id in _undoModes)
        {
            Accounts.SetMode(id, Accounts.ModeOf(id) == MarginMode.Cross ? MarginMode.Isolated : MarginMode.Cross);
        }

        _undoPositions.Clear();
        _undoMarkets.Clear();
        _undoFlags.Clear();
        _undoModes.Clear();

        if (_createdAccount >= 0)
        {
            Accounts.RemoveLast(_createdAccount);
        }

        _undoBalances.Clear();
        _undoPools.Clear();
        _createdAccount = -1;
    }

    private AssetPool Touch(int asset)
    {
        foreach ((int a, PoolSnapshot _) in _undoPools)
        {
            if (a == asset)
            {
                return _pools[asset];
            }
        }

        _undoPools.Add((asset, PoolSnapshot.Of(_pools[asset])));
        return _pools[asset];
    }

    /// <summary>Writes a balance change computed during validation and its pool aggregates.</summary>
    private void Commit(int id, int asset, in BalanceChange c)
    {
        AssetPool p = Touch(asset);
        MarkDirty(id);
        _undoBalances.Add((id, asset, Accounts.Scaled(id, asset)));
        Accounts.SetScaled(id, asset, c.NewScaled);
        p.TotalScaledSupply = checked(p.TotalScaledSupply + c.SupplyScaledDelta);
        p.TotalScaledDebt = checked(p.TotalScaledDebt + c.DebtScaledDelta);
    }

    private int CreateAccount(AccountKey key, MarginMode mode)
    {
        int id = Accounts.Create(key, mode);
        _createdAccount = id;
        _events.Add(new SubaccountOpened(key, mode));
        return id;
    }

    private PerpMarket TouchMarket(int market)
    {
        foreach ((int m, PerpMarketSnapshot _) in _undoMarkets)
        {
            if (m == market)
            {
                return _markets[market];
            }
        }

        _undoMarkets.Add((market, _markets[market].Save()));
        return _markets[market];
    }

    private void SetFlag(int id, long height)
    {
        if (Accounts.FlaggedAt(id) != height)
        {
            _undoFlags.Add((id, Accounts.FlaggedAt(id)));
            Accounts.SetFlagged(id, height);
            MarkDirty(id);
        }
    }

    private ActionResult Done()
    {
        foreach ((int a, PoolSnapshot _) in _undoPools)
        {
            _pools[a].CloseBooks();
        }

        return ActionResult.Accept(PublishEvents());
    }

    /// <summary>Copies this action's events into the shared buffer; a full buffer is replaced, never reused, so earlier slices stay valid.</summary>
    private ArraySegment<EngineEvent> PublishEvents()
    {
        int n = _events.Count;
        if (n == 0)
        {
            return ArraySegment<EngineEvent>.Empty;
        }

        if (_eventPos + n > _eventBuffer.Length)
        {
            _eventBuffer = new EngineEvent[System.Math.Max(4096, n)];
            _eventPos = 0;
        }

        _events.CopyTo(_eventBuffer, _eventPos);
        var slice = new ArraySegment<EngineEvent>(_eventBuffer, _eventPos, n);
        _eventPos += n;
        return slice;
    }

    private bool ValidAsset(int asset) => (uint)asset < (uint)_pools.Length;

    /// <summary>
    /// Health of account <paramref name="id"/> (or an empty one when -1) with up to two balances replaced,
    /// for "would initial health stay ≥ 0?" checks. Two shortcuts return an all-zero figure (initial
    /// health 0, not negative) without exact pricing: an account left owing nothing, and an account
    /// without positions whose fixed-point estimate is above zero by more than its error bound.
    /// </summary>
    private Health WhatIf(int id, int asset1, long scaled1, int asset2 = -1, long scaled2 = 0)
    {
        if (id >= 0 && scaled1 >= 0 && (asset2 < 0 || scaled2 >= 0) && !HasLiabilitiesExcept(id, asset1, asset2))
        {
            return default;
        }

        if (id >= 0 && !HasPositions(id))
        {
            Span<long> quick = stackalloc long[_pools.Length];
            Accounts.Balances(id).CopyTo(quick);
            quick[asset1] = scaled1;
            if (asset2 >= 0)
            {
                quick[asset2] = scaled2;
            }

            if (!ExactChecksOnly && _estimate.ClearlyNonNegative(quick, 0))
            {
                // Clearly above zero: the exact figure is not needed to decide, only its sign.
                return default;
            }
        }

        Span<long> b = stackalloc long[_pools.Length];
        if (id >= 0)
        {
            Accounts.Balances(id).CopyTo(b);
        }
        else
        {
            b.Clear();
        }

        b[asset1] = scaled1;
        if (asset2 >= 0)
        {
            b[asset2] = scaled2;
        }

        Health h = HealthCalculator.Evaluate(b, _pools, Genesis.HealthModel);
        return id < 0 || _markets.Length == 0 ? h : PerpHealth.Add(h, Accounts.Sizes(id), Accounts.Quotes(id), Accounts.FundingSnapshots(id), _markets, _pools);
    }

    /// <summary>Health of account <paramref name="id"/> with one position and up to one lending balance replaced.</summary>
    private Health WhatIfPerp(int id, int market, in PositionState pos, int asset = -1, long scaled = 0)
    {
        Span<long> b = stackalloc long[_pools.Length];
        Accounts.Balances(id).CopyTo(b);
        if (asset >= 0)
        {
            b[asset] = scaled;
        }

        Span<long> sizes = stackalloc long[_markets.Length];
        Span<long> quotes = stackalloc long[_markets.Length];
        Span<Int128> snaps = stackalloc Int128[_markets.Length];
        Accounts.Sizes(id).CopyTo(sizes);
        Accounts.Quotes(id).CopyTo(quotes);
        Accounts.FundingSnapshots(id).CopyTo(snaps);
        sizes[market] = pos.Size;
        quotes[market] = pos.Quote;
        snaps[market] = pos.Snapshot;
        return PerpHealth.Add(HealthCalculator.Evaluate(b, _pools, Genesis.HealthModel), sizes, quotes, snaps, _markets, _pools);
    }

    private bool HasPositions(int id)
    {
        ReadOnlySpan<long> sizes = Accounts.Sizes(id);
        ReadOnlySpan<long> quotes = Accounts.Quotes(id);
        for (int m = 0; m < sizes.Length; m++)
        {
            if (sizes[m] != 0 || quotes[m] != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the account owes anything (a borrow other than in the two replaced assets, a position or unsettled quote).</summary>
    private bool HasLiabilitiesExcept(int id, int asset1, int asset2)
    {
        ReadOnlySpan<long> b = Accounts.Balances(id);
        for (int a = 0; a < b.Length; a++)
        {
            if (b[a] < 0 && a != asset1 && a != asset2)
            {
                return true;
            }
        }

        return HasPositions(id);
    }

    private static ActionResult Reject(ErrorCode code, string message) => ActionResult.Reject(code, message);

    private string Sym(int asset) => _pools[asset].Config.Symbol;

    private string Amt(int asset, long amount) => Math.DecimalString.Format(amount, _pools[asset].Config.QuantumDecimals);
}
