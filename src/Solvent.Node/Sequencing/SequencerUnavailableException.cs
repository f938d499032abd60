namespace Solvent.Node.Sequencing;

/// <summary>
/// A read could not run on the sequencer loop because the loop stopped: after a fault
/// (<see cref="NodeErrors.SequencerFaulted"/>, with the fault as the message) or at shutdown
/// (<see cref="NodeErrors.Unavailable"/>). The API answers it with 503 and this code.
/// </summary>
public sealed class SequencerUnavailableException(string code, string message) : Exception(message)
{
    /// <summary>Stable error code.</summary>
    public string Code { get; } = code;
}
