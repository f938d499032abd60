using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Population;

/// <summary>
/// A book restored from a node's snapshot: every account, balance, position, index, insurance fund and
/// risk parameter as the chain held them, at the snapshot's prices and time. The risk parameters in force
/// are the snapshot's (governance may have changed them since genesis), with supply, borrow and
/// open-interest caps lifted so keepers can deposit, and with any sweep change replayed on them; they are
/// set through governance actions, as a venue would.
/// </summary>
internal sealed class SnapshotBook : VenueBook
{
    private readonly Genesis _genesis;
    private readonly byte[] _state;
    private readonly AssetRiskParams[] _risk;
    private readonly PerpRiskParams[] _marketRisk;
    private readonly double[] _prices;

    public SnapshotBook(VenueSpec venue, SnapshotSpec snapshot, double behaviourShare)
    {
        _genesis = venue.Genesis;
        _state = snapshot.EngineState;
        Engine e = Engine.RestoreSnapshot(_genesis, _state);
        _prices = new double[e.Pools.Length];
        for (int a = 0; a < _prices.Length; a++)
        {
            _prices[a] = e.Pools[a].Price / 1e8;
        }

        Genesis inForce = _genesis with
        {
            Risk = [.. e.Pools.Select(p => p.Risk)],
            MarketRisk = [.. e.Markets.Select(m => m.Risk)],
        };
        inForce = venue.RiskChange?.Invoke(inForce) ?? inForce;
        _risk = [.. inForce.Risk.Select(r => r with { SupplyCap = 0, BorrowCap = 0 })];
        _marketRisk = [.. inForce.MarketRisk.Select(r => r with { OpenInterestCap = 0 })];
        Accounts = e.Accounts.Count;
        var rng = new Random(snapshot.Seed);
        Responsive = new bool[Accounts];
        for (int i = 0; i < Accounts; i++)
        {
            Responsive[i] = rng.NextDouble() < behaviourShare;
        }
    }

    public override int Accounts { get; }

    public override bool[] Responsive { get; }

    public override double StartPrice(int asset) => _prices[asset];

    public override Engine Build(out int[] ids)
    {
        Engine e = Engine.RestoreSnapshot(_genesis, _state);
        Address gov = _genesis.Governance;
        for (int a = 0; a < _risk.Length; a++)
        {
            if (e.Pools[a].Risk != _risk[a])
            {
                Require(e.Apply(new UpdateAssetRisk(gov, a, _risk[a])), "asset", a);
            }
        }

        for (int m = 0; m < _marketRisk.Length; m++)
        {
            if (e.Markets[m].Risk != _marketRisk[m])
            {
                Require(e.Apply(new UpdateMarketRisk(gov, m, _marketRisk[m])), "market", m);
            }
        }

        ids = new int[Accounts];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i;
        }

        return e;
    }

    private static void Require(ActionResult r, string what, int id)
    {
        if (!r.Ok)
        {
            throw new ScenarioException("$.venues[].population.snapshot", $"governance could not set {what} {id}'s risk parameters on the snapshot: {r.CodeName}: {r.Message}");
        }
    }
}
