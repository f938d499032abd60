using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Node.Ingress;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Recovery;

/// <summary>
/// Re-executes one logged block exactly as the sequencer did: re-verifies every signature, checks
/// every nonce is its signer's next, applies the block and compares the state root with the logged one.
/// </summary>
public static class BlockReplayer
{
    /// <summary>
    /// Replays <paramref name="stored"/> onto <paramref name="engine"/>; throws <see cref="RecoveryException"/> on any disagreement.
    /// <paramref name="signers"/>, when given, receives each action's recovered signer; a live follower passes
    /// <paramref name="drainDirty"/> false so its risk index sees which accounts the block touched.
    /// </summary>
    public static BlockResult Replay(Engine engine, NonceTable nonces, AccountCommitment accounts, IActionDecoder decoder, StoredBlock stored, Core.State.Address[]? signers = null, bool drainDirty = true)
    {
        var actions = new EngineAction[stored.Actions.Count];
        for (int i = 0; i < actions.Length; i++)
        {
            if (Crypto.SystemActionCodec.IsSystem(stored.Actions[i]))
            {
                // Sequenced by the node's bridge from a vault chain's events: no signature and no nonce.
                if (!Crypto.SystemActionCodec.TryDecode(stored.Actions[i], out SystemAction? sys, out string why))
                {
                    throw new RecoveryException($"block {stored.Height} action {i}: {why}");
                }

                actions[i] = sys;
                continue;
            }

            if (!decoder.TryDecode(stored.Actions[i], out DecodedAction? d, out string code, out string message))
            {
                throw new RecoveryException($"block {stored.Height} action {i}: the logged action no longer verifies ({code}: {message})");
            }

            if (nonces.Check(d!.Signer, d.Nonce) is { } bad)
            {
                throw new RecoveryException($"block {stored.Height} action {i}: nonce {d.Nonce} of {d.Signer} is not its next nonce {nonces.NextOf(d.Signer)} ({bad})");
            }

            nonces.Consume(d.Signer);
            actions[i] = d.Action;
            if (signers is not null)
            {
                signers[i] = d.Signer;
            }
        }

        if (!stored.ParentRoot.AsSpan().SequenceEqual(engine.LastRoot))
        {
            throw new RecoveryException($"block {stored.Height}: logged parent root {Convert.ToHexString(stored.ParentRoot)} differs from the replayed root {Convert.ToHexString(engine.LastRoot)} of block {engine.Height}");
        }

        BlockResult result;
        try
        {
            result = engine.Apply(new Block(new BlockHeader(stored.Height, stored.Time, stored.ParentRoot), actions));
        }
        catch (InvalidBlockException e)
        {
            throw new RecoveryException($"block {stored.Height}: {e.Message}");
        }

        if (!result.StateRoot.AsSpan().SequenceEqual(stored.StateRoot))
        {
            throw new RecoveryException(
                $"block {stored.Height}: replayed state root {Convert.ToHexString(result.StateRoot)} differs from the logged root {Convert.ToHexString(stored.StateRoot)}; refusing to start on a state that disagrees with its log");
        }

        accounts.Update(engine);
        byte[] accountsRoot = accounts.Root();
        if (!accountsRoot.AsSpan().SequenceEqual(stored.AccountsRoot))
        {
            throw new RecoveryException(
                $"block {stored.Height}: replayed accounts root {Convert.ToHexString(accountsRoot)} differs from the logged root {Convert.ToHexString(stored.AccountsRoot)}");
        }

        // Nothing else consumes the dirty set during replay; the risk index is built from scratch afterwards.
        if (drainDirty)
        {
            engine.DrainDirty([]);
        }

        return result;
    }
}
