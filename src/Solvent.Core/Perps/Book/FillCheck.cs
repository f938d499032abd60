namespace Solvent.Core.Perps.Book;

/// <summary>The margin verdict on one prospective fill between a taker and a resting maker.</summary>
public enum FillCheck : byte
{
    /// <summary>Both sides can carry the fill.</summary>
    Fill = 0,

    /// <summary>The maker can no longer be margined: its order is removed, not filled, and matching goes on.</summary>
    RemoveMaker = 1,

    /// <summary>The taker cannot afford this fill (or its price is outside the band): matching stops here.</summary>
    StopTaker = 2,
}
