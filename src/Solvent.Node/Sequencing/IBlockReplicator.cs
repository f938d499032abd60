using Solvent.Storage;

namespace Solvent.Node.Sequencing;

/// <summary>
/// Where a replicated sequencer sends each block before it acknowledges anything: the seam between the
/// single writer and a replicated block stream. Without one the node is the single-machine sequencer it
/// always was.
/// </summary>
public interface IBlockReplicator
{
    /// <summary>Why new actions are refused right now (not the leader, stream unavailable), or null to admit them.</summary>
    Ack? Refusal();

    /// <summary>
    /// Called on the sequencer loop with a block that is applied but not yet durable or acknowledged; returns
    /// once the block is stored on a majority of the stream's servers. Throws when the block can never be
    /// stored (another writer appended at its height), which stops the sequencer without acknowledging.
    /// </summary>
    void Replicate(StoredBlock block);
}
