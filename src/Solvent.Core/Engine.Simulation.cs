namespace Solvent.Core;

/// <summary>Block stepping for simulators that drive the engine directly.</summary>
public sealed partial class Engine
{
    /// <summary>
    /// Starts the next block at <paramref name="time"/> without a header or state root: height + 1, then
    /// <see cref="AdvanceTo"/>. For simulations that need block-counted rules (the backstop delay) but
    /// cannot afford a root per block; <see cref="LastRoot"/> is left as it was, so such an engine can no
    /// longer apply signed blocks.
    /// </summary>
    public void SimulateBlock(long time)
    {
        AdvanceTo(time);
        Height++;
    }
}
