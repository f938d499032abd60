using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.Settlement;
using Solvent.Crypto;
using Solvent.Crypto.Settlement;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Settlement;

/// <summary>
/// Computes a <see cref="Commitment"/> every <c>commitEveryBlocks</c> on the sequencer loop (the engine is at
/// exactly that block there), signs its attestation with the node's validator key when that key is one of
/// genesis' validators, and keeps the latest for the API and the poster. On an idle chain it cuts empty
/// blocks up to the next commitment height so a withdrawal never waits for unrelated traffic.
/// </summary>
public sealed class SettlementService : IAsyncDisposable
{
    private readonly Sequencer _sequencer;
    private readonly SettlementConfig _config;
    private readonly Eip712Domain _domain;
    private readonly byte[]? _validatorKey;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _padder;
    private Commitment? _latest;
    private long _lastBlockTicks = Environment.TickCount64;

    /// <summary>Starts computing commitments; <paramref name="validatorKey"/> signs them when it is a genesis validator.</summary>
    public SettlementService(Sequencer sequencer, Genesis genesis, byte[]? validatorKey, Action<string> log, int idlePadMs = 1000)
    {
        _sequencer = sequencer;
        _config = genesis.Settlement ?? throw new ArgumentException("the genesis has no settlement section", nameof(genesis));
        _domain = Eip712Domain.FromGenesis(genesis);
        _log = log;
        if (validatorKey is not null)
        {
            var signer = Secp256k1.AddressOf(validatorKey);
            if (_config.Validators.Contains(signer))
            {
                _validatorKey = validatorKey;
                Validator = signer.ToString();
            }
            else
            {
                log($"the validator key {signer} is not among genesis settlement.validators: commitments are computed but not signed");
            }
        }

        sequencer.BlockApplied += OnBlock;

        // The current head may itself be a commitment height (a restart): compute it once now.
        _ = sequencer.QueryAsync(e =>
        {
            if (e.Height > 0 && e.Height % _config.CommitEveryBlocks == 0 && _latest is null)
            {
                _latest = Compute(e);
            }

            return 0;
        });
        _padder = Task.Run(() => PadAsync(idlePadMs));
    }

    /// <summary>Raised (on the sequencer loop) with each new commitment.</summary>
    public event Action<Commitment>? Committed;

    /// <summary>The signing validator's address, or null when this node does not sign.</summary>
    public string? Validator { get; }

    /// <summary>The latest commitment, or null before the first commitment height.</summary>
    public Commitment? Latest => Volatile.Read(ref _latest);

    /// <summary>The settlement section of genesis.</summary>
    public SettlementConfig Config => _config;

    private void OnBlock(Engine e)
    {
        Interlocked.Exchange(ref _lastBlockTicks, Environment.TickCount64);
        if (e.Height % _config.CommitEveryBlocks != 0)
        {
            return;
        }

        Commitment c = Compute(e);
        Volatile.Write(ref _latest, c);
        Committed?.Invoke(c);
    }

    /// <summary>
    /// Replaces the signatures of the latest commitment with <paramref name="signatures"/> (ordered by signer
    /// address) collected from the validators of a replicated deployment, when they sign exactly its
    /// <paramref name="digest"/> at <paramref name="height"/> and are more than it holds; raises
    /// <see cref="Committed"/> again so the poster can submit it. The caller verified every signature.
    /// </summary>
    /// <returns>Whether the latest commitment took the signatures.</returns>
    public bool Endorse(long height, byte[] digest, IReadOnlyList<byte[]> signatures)
    {
        Commitment? c = Volatile.Read(ref _latest);
        if (c is null || c.Height != height || !c.Digest.AsSpan().SequenceEqual(digest) || signatures.Count <= c.Signatures.Count)
        {
            return false;
        }

        Commitment endorsed = c with { Signatures = signatures };
        if (Interlocked.CompareExchange(ref _latest, endorsed, c) != c)
        {
            // A newer commitment arrived meanwhile; these signatures are for an older one.
            return false;
        }

        Committed?.Invoke(endorsed);
        return true;
    }

    /// <summary>The commitment of the engine's current state.</summary>
    public Commitment Compute(Engine e)
    {
        SettlementState st = e.Settlement!;
        var ids = new long[_config.Chains.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = _config.Chains[i].ChainId;
        }

        IReadOnlyList<ExitLeaf> exits = e.ExitLeaves();
        var exitHashes = exits.Select(x => x.Leaf()).ToArray();
        var att = new Attestation((ulong)e.Height, e.LastRoot, st.Tree.Root(), ExitTree.Root(exitHashes), st.ForcedRoot());
        byte[] digest = AttestationTypedData.Digest(_domain, att);
        IReadOnlyList<byte[]> sigs = _validatorKey is null ? [] : [Secp256k1.Sign(digest, _validatorKey)];
        return new Commitment(att, digest, ids, [.. st.ForcedProcessed], [.. st.Records], [.. st.Leaves], exits, exitHashes, sigs);
    }

    private async Task PadAsync(int idleMs)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Math.Max(50, idleMs / 4), _stop.Token).ConfigureAwait(false);
                long height = _sequencer.View.Head.Height;
                bool idle = Environment.TickCount64 - Interlocked.Read(ref _lastBlockTicks) >= idleMs;
                if (idle && _sequencer.Fault is null && height % _config.CommitEveryBlocks != 0)
                {
                    await _sequencer.CutNowAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex)
            {
                _log($"settlement padding failed: {ex.Message}");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _sequencer.BlockApplied -= OnBlock;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _padder.ConfigureAwait(false);
        _stop.Dispose();
    }
}
