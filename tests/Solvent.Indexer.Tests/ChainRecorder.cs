using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Dev;
using Solvent.Node.Recovery;
using Solvent.Storage;

namespace Solvent.Indexer.Tests;

/// <summary>
/// Records a chain into a node data directory the way the sequencer does (signed actions, roots, accounts
/// root), with lending and perp liquidations, trades across funding intervals and oracle moves, and keeps the
/// figures the indexed tables must reproduce, taken from the engine that executed it.
/// </summary>
public sealed class ChainRecorder
{
    public const int Usdc = 0, Eth = 2, EthPerp = 0;
    private const long T0 = 1_735_689_600;

    private readonly Engine _engine;
    private readonly AccountCommitment _accounts;
    private readonly BlockLog _log;
    private readonly Eip712Domain _domain;
    private readonly ActionSigner _gov;
    private readonly Dictionary<Address, ulong> _nonces = [];
    private readonly List<(ActionSigner S, EngineAction A)> _pending = [];
    private long _time = T0;

    public string Dir { get; }
    public Engine Engine => _engine;
    public long Actions { get; private set; }
    public long LendingLiquidations { get; private set; }
    public long PerpLiquidations { get; private set; }
    public long Seized { get; private set; }
    public long Fills { get; private set; }

    /// <summary>Scaled balances of every account after <see cref="CheckHeight"/>.</summary>
    public Dictionary<(AccountKey, int), long> ScaledAt { get; } = [];
    public long CheckHeight { get; set; }

    private ChainRecorder(string dir, string genesisJson)
    {
        Dir = dir;
        ChainLoader.ResolveGenesis(dir, genesisJson, save: true);
        var genesis = Core.Config.GenesisLoader.Parse(genesisJson);
        _domain = Eip712Domain.FromGenesis(genesis);
        _engine = new Engine(genesis);
        _accounts = AccountCommitment.Of(_engine);
        _log = BlockLog.Open(dir);
        _gov = ActionSigner.FromSeed(DevKeys.GovernanceSeed, _domain);
    }

    public static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Solvent.sln")))
        {
            dir = Path.GetDirectoryName(dir.TrimEnd('/'))!;
        }

        return dir;
    }

    /// <summary>The example venue with governance held by the dev governance key; <paramref name="name"/> makes another chain.</summary>
    public static string GenesisJson(string? name = null)
    {
        var gov = ActionSigner.FromSeed(DevKeys.GovernanceSeed, Eip712Domain.FromGenesis(Core.Config.GenesisLoader.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "scenarios", "genesis.example.json")))));
        string json = DevKeys.DevGenesis(File.ReadAllText(Path.Combine(RepoRoot(), "scenarios", "genesis.example.json")), gov.Address.ToString());
        return name is null ? json : json.Replace("\"name\": \"", "\"name\": \"" + name + " ", StringComparison.Ordinal);
    }

    /// <summary>Records <paramref name="rounds"/> rounds (5 blocks each) with <paramref name="fillers"/> extra actions per block.</summary>
    public static ChainRecorder Record(int rounds, int fillers = 0, string? name = null, long checkHeight = 0)
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-indexer-" + Guid.NewGuid().ToString("N"));
        var r = new ChainRecorder(dir, GenesisJson(name)) { CheckHeight = checkHeight };
        try
        {
            r.Run(rounds, fillers);
        }
        finally
        {
            r._log.Dispose();
        }

        return r;
    }

    private static long Q(string human, int decimals)
    {
        Assert.True(DecimalString.TryParseLong(human, decimals, out long v, out string err), err);
        return v;
    }

    private static long Usd(string h) => Q(h, 6);

    private static long EthQ(string h) => Q(h, 9);

    private static long Px(string h) => Q(h, Precision.PriceDecimals);

    private ActionSigner Signer(string seed) => ActionSigner.FromSeed(seed, _domain);

    private static AccountKey Acct(ActionSigner s) => new(s.Address, 0);

    private void Do(ActionSigner s, EngineAction a) => _pending.Add((s, a));

    private void Run(int rounds, int fillers)
    {
        ActionSigner lender = Signer("lender"), keeper = Signer("keeper"), holder = Signer("holder");
        ActionSigner[] crowd = [.. Enumerable.Range(0, 8).Select(i => Signer("crowd" + i))];
        Do(lender, new Deposit(lender.Address, Acct(lender), Usdc, Usd("50000000")));
        Do(keeper, new Deposit(keeper.Address, Acct(keeper), Usdc, Usd("10000000")));
        Do(holder, new Deposit(holder.Address, Acct(holder), Usdc, Usd("100000")));
        foreach (ActionSigner c in crowd)
        {
            Do(c, new Deposit(c.Address, Acct(c), Usdc, Usd("1000000")));
        }

        Cut(60);
        for (int r = 0; r < rounds; r++)
        {
            ActionSigner borrower = Signer("borrower" + r), trader = Signer("trader" + r);
            Do(borrower, new Deposit(borrower.Address, Acct(borrower), Eth, EthQ("1")));
            Do(borrower, new Borrow(borrower.Address, Acct(borrower), Usdc, Usd("2400")));
            Do(trader, new Deposit(trader.Address, Acct(trader), Usdc, Usd("1000")));
            Do(trader, new PlaceOrder(trader.Address, Acct(trader), EthPerp, EthQ("3"), Px("4000"), false));
            Do(holder, new PlaceOrder(holder.Address, Acct(holder), EthPerp, r % 2 == 0 ? EthQ("1") : -EthQ("1"), r % 2 == 0 ? Px("4000") : Px("1"), false));
            Fill(crowd, fillers, r);
            Cut(900);
            Do(_gov, new SetOraclePrice(_gov.Address, Eth, Px("2740")));
            Fill(crowd, fillers, r);
            Cut(900);
            Do(keeper, new Liquidate(keeper.Address, Acct(keeper), Acct(borrower), Usdc, Eth, Usd("1200")));
            Do(keeper, new LiquidatePerp(keeper.Address, Acct(keeper), Acct(trader), EthPerp, EthQ("1.5")));
            Fill(crowd, fillers, r);
            Cut(900);
            Do(_gov, new SetOraclePrice(_gov.Address, Eth, Px("3000")));
            Do(trader, new PlaceOrder(trader.Address, Acct(trader), EthPerp, -_engine.Accounts.Size(Math.Max(0, _engine.Accounts.Find(Acct(trader))), EthPerp), Px("1"), true));
            Fill(crowd, fillers, r);
            Cut(900);
            Do(borrower, new Repay(borrower.Address, Acct(borrower), Usdc, Usd("100")));
            Fill(crowd, fillers, r);
            Cut(600);
        }
    }

    private void Fill(ActionSigner[] crowd, int n, int round)
    {
        for (int i = 0; i < n; i++)
        {
            ActionSigner c = crowd[(i + round) % crowd.Length];
            switch ((i + round) % 3)
            {
                case 0: Do(c, new Deposit(c.Address, Acct(c), Usdc, Usd("10") + i)); break;
                case 1: Do(c, new PlaceOrder(c.Address, Acct(c), EthPerp, EthQ("0.1"), Px("5000"), false)); break;
                default: Do(c, new PlaceOrder(c.Address, Acct(c), EthPerp, -EthQ("0.1"), Px("1"), false)); break;
            }
        }
    }

    // Signs, applies and logs the pending actions as one block, like the sequencer's cut.
    private void Cut(long seconds)
    {
        _time += seconds;
        var actions = new EngineAction[_pending.Count];
        var raw = new byte[_pending.Count][];
        for (int i = 0; i < actions.Length; i++)
        {
            (ActionSigner s, EngineAction a) = _pending[i];
            ulong n = _nonces.GetValueOrDefault(s.Address);
            _nonces[s.Address] = n + 1;
            raw[i] = System.Text.Encoding.UTF8.GetBytes(s.Sign(a, n));
            actions[i] = a;
        }

        _pending.Clear();
        var header = new BlockHeader(_engine.Height + 1, _time, _engine.LastRoot);
        BlockResult result = _engine.Apply(new Block(header, actions));
        _accounts.Update(_engine);
        _engine.DrainDirty([]);
        _log.Append(new StoredBlock(header.Height, header.Time, header.PreviousRoot, result.StateRoot, _accounts.Root(), raw));
        Actions += actions.Length;
        foreach (ActionResult r in result.Results)
        {
            foreach (EngineEvent e in r.Events)
            {
                switch (e)
                {
                    case Liquidated l: LendingLiquidations++; Seized += l.Seized; break;
                    case PerpLiquidated: PerpLiquidations++; break;
                    case Traded: Fills++; break;
                    default: break;
                }
            }
        }

        if (header.Height == CheckHeight)
        {
            for (int id = 0; id < _engine.Accounts.Count; id++)
            {
                for (int a = 0; a < _engine.Accounts.AssetCount; a++)
                {
                    ScaledAt[(_engine.Accounts.KeyOf(id), a)] = _engine.Accounts.Scaled(id, a);
                }
            }
        }
    }
}
