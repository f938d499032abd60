using Solvent.Core;

namespace Solvent.Sim.Population;

/// <summary>
/// A venue's starting book, built once per scenario and read-only afterwards: each path asks it for a
/// fresh engine holding the accounts. Generated (<see cref="PopulationTemplate"/>) or restored from a
/// node's snapshot (<see cref="SnapshotBook"/>).
/// </summary>
internal abstract class VenueBook
{
    /// <summary>Accounts in the book that behaviour and reports count (a generated book's lender is extra).</summary>
    public abstract int Accounts { get; }

    /// <summary>Per book account (index as in <see cref="Build"/>'s ids): whether it reacts before liquidation.</summary>
    public abstract bool[] Responsive { get; }

    /// <summary>The USD price of a venue asset when the run starts.</summary>
    public abstract double StartPrice(int asset);

    /// <summary>A fresh engine holding the book; <paramref name="ids"/>[i] is the dense id of book account i (−1 = none).</summary>
    public abstract Engine Build(out int[] ids);
}
