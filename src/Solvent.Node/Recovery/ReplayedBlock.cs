using Solvent.Core;
using Solvent.Core.Blocks;
using Solvent.Core.State;

namespace Solvent.Node.Recovery;

/// <summary>
/// A block recovery has just replayed, for listeners that rebuild what is not consensus state (the web app's
/// histories): the engine just after it, its result, each action's signer and the first action's sequence.
/// </summary>
public readonly record struct ReplayedBlock(Engine Engine, BlockResult Result, Address[] Signers, long FirstSequence);
