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
    public static BlockResult Replay(Engine engine, NonceTable nonces, AccountCommitment accounts, IActionDecoder decoder, StoredBlock stored, Core.State.Address[]? signers = null, bool drainDirty = true) =>
        Replay(engine, nonces, accounts, decoder, stored, signers, drainDirty, ParallelFrom);

    /// <summary>Blocks with at least this many actions have their signatures recovered on all cores before the in-order checks.</summary>
    public const int ParallelFrom = 16;

    /// <summary>
    /// As <see cref="Replay(Engine, NonceTable, AccountCommitment, IActionDecoder, StoredBlock, Core.State.Address[], bool)"/>,
    /// verifying signatures in parallel when the block holds at least <paramref name="parallelFrom"/> actions.
    /// Recovery is a pure function of each action's bytes, so only its speed depends on this; nonces, the
    /// first failure reported and the engine all still go in block order.
    /// </summary>
    public static BlockResult Replay(Engine engine, NonceTable nonces, AccountCommitment accounts, IActionDecoder decoder, StoredBlock stored, Core.State.Address[]? signers, bool drainDirty, int parallelFrom)
    {
        var actions = new EngineAction[stored.Actions.Count];
        Verified[]? verified = null;
        if (actions.Length >= parallelFrom && Environment.ProcessorCount > 1)
        {
            verified = new Verified[actions.Length];
            Parallel.For(0, actions.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                if (!Crypto.SystemActionCodec.IsSystem(stored.Actions[i]))
                {
                    bool ok = decoder.TryDecode(stored.Actions[i], out DecodedAction? d, out string code, out string message);
                    verified[i] = new Verified(ok, d, code, message);
                }
            });
        }

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

            DecodedAction? d;
            string code, message;
            if (verified is not null)
            {
                (bool ok, d, code, message) = verified[i];
                if (!ok)
                {
                    throw new RecoveryException($"block {stored.Height} action {i}: the logged action no longer verifies ({code}: {message})");
                }
            }
            else if (!decoder.TryDecode(stored.Actions[i], out d, out code, out message))
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

    private readonly record struct Verified(bool Ok, DecodedAction? Action, string Code, string Message);
}
