using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// Engine snapshots. A snapshot is exactly the canonical encoding the state root hashes, so it carries
/// every field of state and nothing else; restoring re-reads it field by field into an engine built from
/// the same genesis, rebuilds what is derived (initial-health prices of publisher-fed assets, lookup
/// tables) and checks that the result hashes to the expected root.
/// </summary>
public sealed partial class Engine
{
    /// <summary>The state's canonical bytes (what <see cref="ComputeStateRoot"/> hashes).</summary>
    public byte[] SaveSnapshot()
    {
        var sink = new ByteBuffer(1 << 16);
        var w = new CanonicalWriter(sink);
        WriteCanonical(w);
        w.Flush();
        return sink.ToArray();
    }

    /// <summary>
    /// Rebuilds an engine from <paramref name="genesis"/> and a snapshot taken on it. Throws
    /// <see cref="InvalidSnapshotException"/> when the bytes do not decode, do not match the genesis'
    /// assets and markets, or (with <paramref name="expectedRoot"/>) do not hash to that root.
    /// </summary>
    public static Engine RestoreSnapshot(Genesis genesis, ReadOnlySpan<byte> snapshot, byte[]? expectedRoot = null)
    {
        var e = new Engine(genesis);
        var r = new CanonicalReader(snapshot);
        e.Height = r.ReadI64();
        e.Time = r.ReadI64();
        e.Liquidation = new LiquidationConfig(r.ReadI64(), r.ReadI64(), r.ReadI64(), r.ReadI64());
        if (genesis.HealthModel != HealthModel.Exact && r.ReadI64() != (long)genesis.HealthModel)
        {
            throw new InvalidSnapshotException($"the snapshot was taken under another health model than the genesis' {genesis.HealthModel}");
        }

        if (r.ReadCount(e._pools.Length, "asset") != e._pools.Length)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of assets than the genesis");
        }

        foreach (AssetPool p in e._pools)
        {
            ReadPool(ref r, p);
        }

        if (r.ReadCount(e._markets.Length, "market") != e._markets.Length)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of markets than the genesis");
        }

        foreach (PerpMarket m in e._markets)
        {
            ReadMarket(ref r, m);
        }

        if (r.ReadCount(e._oracleAssets.Length, "feed") != e._oracleAssets.Length)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of oracle feeds than the genesis");
        }

        foreach (int a in e._oracleAssets)
        {
            e._feeds[a]!.ReadCanonical(ref r);
            e.SyncInitialPrices(e._feeds[a]!);
        }

        if (r.ReadCount(e._controllers.Length, "controller") != e._controllers.Length)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of risk controllers than the genesis");
        }

        for (int i = 0; i < e._controllers.Length; i++)
        {
            e._controllers[i] = r.ReadI64();
        }

        ReadAccounts(ref r, e);
        e.Settlement?.ReadCanonical(ref r);
        e.ReadBooksCanonical(ref r);
        if (r.Remaining != 0)
        {
            throw new InvalidSnapshotException($"{r.Remaining} bytes left after the last account");
        }

        byte[] root = e.ComputeStateRoot();
        if (expectedRoot is not null && !expectedRoot.AsSpan().SequenceEqual(root))
        {
            throw new InvalidSnapshotException($"the snapshot hashes to {Convert.ToHexString(root)}, not {Convert.ToHexString(expectedRoot)}");
        }

        // Before the first block the chain's previous root is all zeros (see the constructor).
        e.LastRoot = e.Height == 0 ? new byte[32] : root;

        return e;
    }

    private static void ReadPool(ref CanonicalReader r, AssetPool p)
    {
        string symbol = r.ReadString();
        if (symbol != p.Config.Symbol)
        {
            throw new InvalidSnapshotException($"asset {p.Config.Id} is {symbol} in the snapshot, {p.Config.Symbol} in the genesis");
        }

        p.Price = r.ReadI64();
        p.SupplyIndex = r.ReadU128();
        p.BorrowIndex = r.ReadU128();
        p.LastAccrual = r.ReadI64();
        p.TotalScaledSupply = r.ReadI64();
        p.TotalScaledDebt = r.ReadI64();
        p.Cash = r.ReadI64();
        p.Treasury = r.ReadI64();
        p.Insurance = r.ReadI64();
        p.BadDebt = r.ReadI64();
        p.RoundingSurplus = r.ReadI64();
        p.PerpSettled = r.ReadI64();
        p.BorrowRate = r.ReadU128();
        p.SupplyRate = r.ReadU128();
        long iaw = r.ReadI64(), maw = r.ReadI64(), ilw = r.ReadI64(), mlw = r.ReadI64(), penalty = r.ReadI64(), share = r.ReadI64(), supplyCap = r.ReadI64(), borrowCap = r.ReadI64();
        bool borrowable = r.ReadBool(), collateral = r.ReadBool(), paused = r.ReadBool();
        long reserveFactor = r.ReadI64();
        string kind = r.ReadString();
        if (kind != "kinked")
        {
            throw new InvalidSnapshotException($"asset {symbol}: unknown rate model '{kind}'");
        }

        p.Risk = new AssetRiskParams
        {
            InitialAssetWeight = iaw,
            MaintenanceAssetWeight = maw,
            InitialLiabilityWeight = ilw,
            MaintenanceLiabilityWeight = mlw,
            LiquidationPenalty = penalty,
            ProtocolShare = share,
            SupplyCap = supplyCap,
            BorrowCap = borrowCap,
            Borrowable = borrowable,
            Collateral = collateral,
            Paused = paused,
            ReserveFactor = reserveFactor,
            RateModel = new KinkedRateModel(r.ReadU128(), r.ReadU128(), r.ReadU128(), r.ReadU128()),
            MinBorrow = r.ReadI64(),
        };
    }

    private static void ReadMarket(ref CanonicalReader r, PerpMarket m)
    {
        string symbol = r.ReadString();
        if (symbol != m.Config.Symbol)
        {
            throw new InvalidSnapshotException($"market {m.Config.Id} is {symbol} in the snapshot, {m.Config.Symbol} in the genesis");
        }

        m.BaseReserve = r.ReadU128();
        m.QuoteReserve = r.ReadU128();
        m.Peg = r.ReadI64();
        m.FundingIndex = r.ReadI128();
        m.LastFundingTime = r.ReadI64();
        m.PremiumSum = r.ReadI128();
        m.PremiumSamples = r.ReadI64();
        m.LastFundingRate = r.ReadI64();
        m.OpenInterest = r.ReadI64();
        m.FeePool = r.ReadI64();
        m.Insurance = r.ReadI64();
        m.FundingSettled = r.ReadI64();
        m.SettledPnl = r.ReadI64();
        m.Risk = new PerpRiskParams
        {
            InitialMarginFraction = r.ReadI64(),
            MaintenanceMarginFraction = r.ReadI64(),
            OpenInterestLower = r.ReadI64(),
            OpenInterestUpper = r.ReadI64(),
            ImfFactor = r.ReadI64(),
            OpenInterestCap = r.ReadI64(),
            MaxFundingRate = r.ReadI64(),
            InterestRate = r.ReadI64(),
            LiquidationPenalty = r.ReadI64(),
            ProtocolShare = r.ReadI64(),
            TakerFee = r.ReadI64(),
            PnlInitialWeight = r.ReadI64(),
            PnlMaintenanceWeight = r.ReadI64(),
            FillPriceBand = r.ReadI64(),
            Paused = r.ReadBool(),
            MinOrderSize = r.ReadI64(),
        };
    }

    private static void ReadAccounts(ref CanonicalReader r, Engine e)
    {
        // Each account takes at least 29 bytes, which bounds the count before anything is allocated.
        int count = r.ReadCount(r.Remaining / 29, "account");
        AccountBook book = e.Accounts;
        book.EnsureCapacity(count);
        int assets = e._pools.Length, markets = e._markets.Length;
        for (int id = 0; id < count; id++)
        {
            var key = new AccountKey(r.ReadAddress(), checked((uint)r.ReadI64()));
            byte mode = r.ReadByte();
            if (mode > (byte)MarginMode.Isolated)
            {
                throw new InvalidSnapshotException($"account {id}: margin mode {mode}");
            }

            if (id < book.Count)
            {
                if (book.KeyOf(id) != key)
                {
                    throw new InvalidSnapshotException($"account {id} is {key} in the snapshot, {book.KeyOf(id)} in the genesis");
                }

                book.SetMode(id, (MarginMode)mode);
            }
            else if (book.Find(key) >= 0 || book.Create(key, (MarginMode)mode) != id)
            {
                throw new InvalidSnapshotException($"account {id}: {key} appears twice");
            }

            for (int a = 0; a < assets; a++)
            {
                book.SetScaled(id, a, r.ReadI64());
            }

            for (int m = 0; m < markets; m++)
            {
                book.SetPosition(id, m, r.ReadI64(), r.ReadI64(), r.ReadI128());
            }

            book.SetFlagged(id, r.ReadI64());
        }
    }
}
