using System.Numerics;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Solvent.Core.Config;
using Solvent.Node.Settlement;

namespace Solvent.Node.Bridge;

/// <summary>
/// Posts each new commitment to every vault's <c>commitRoot</c> with its validator signatures (ordered by
/// signer address). Only the newest commitment matters — a vault takes any height above its last — so a
/// backlog collapses to one transaction per chain; a vault already at or past the height, or frozen, is skipped.
/// </summary>
public sealed class RootPoster
{
    private readonly SettlementConfig _config;
    private readonly Web3[] _chains;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _signal = new(0);
    private volatile Commitment? _pending;

    /// <summary>A poster paying gas with <paramref name="posterKey"/> on each chain's RPC.</summary>
    public RootPoster(SettlementConfig config, IReadOnlyDictionary<long, string> rpc, string posterKey, Action<string> log)
    {
        _config = config;
        _log = log;
        _chains = [.. config.Chains.Select(c => new Web3(new Account(posterKey, c.ChainId), rpc[c.ChainId]))];
    }

    /// <summary>Queues a commitment (called on the sequencer loop: never blocks).</summary>
    public void Offer(Commitment c)
    {
        if (c.Signatures.Count < _config.Threshold)
        {
            return;
        }

        _pending = c;
        _signal.Release();
    }

    /// <summary>Posts until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var posted = new ulong[_chains.Length];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (_pending is not { } c)
            {
                continue;
            }

            bool failed = false;
            for (int i = 0; i < _chains.Length; i++)
            {
                if (posted[i] >= c.Attestation.Height)
                {
                    continue;
                }

                try
                {
                    posted[i] = Math.Max(posted[i], await PostAsync(i, c).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed = true;
                    _log($"bridge: commitRoot at height {c.Height} on chain {_config.Chains[i].ChainId} failed ({e.GetType().Name}: {e.Message}); retrying");
                }
            }

            if (failed)
            {
                try
                {
                    await Task.Delay(1_000, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                _signal.Release();
            }
        }
    }

    // Returns the height the vault holds afterwards.
    private async Task<ulong> PostAsync(int i, Commitment c)
    {
        Web3 web3 = _chains[i];
        string vault = _config.Chains[i].Vault.ToString();
        ulong last = await web3.Eth.GetContractQueryHandler<LastHeightFunction>().QueryAsync<ulong>(vault, new LastHeightFunction()).ConfigureAwait(false);
        bool frozen = await web3.Eth.GetContractQueryHandler<FrozenFunction>().QueryAsync<bool>(vault, new FrozenFunction()).ConfigureAwait(false);
        if (frozen || last >= c.Attestation.Height)
        {
            return frozen ? ulong.MaxValue : last;
        }

        var fn = new CommitRootFunction
        {
            A = new AttestationStruct
            {
                Height = c.Attestation.Height,
                StateRoot = c.Attestation.StateRoot,
                WithdrawalsRoot = c.Attestation.WithdrawalsRoot,
                ExitRoot = c.Attestation.ExitRoot,
                ForcedRoot = c.Attestation.ForcedRoot,
            },
            ForcedChainIds = [.. c.ChainIds.Select(x => new BigInteger(x))],
            ForcedCounts = [.. c.ForcedCounts],
            Signatures = [.. c.Signatures],
        };
        var receipt = await web3.Eth.GetContractTransactionHandler<CommitRootFunction>().SendRequestAndWaitForReceiptAsync(vault, fn).ConfigureAwait(false);
        if (receipt.Status.Value != 1)
        {
            throw new InvalidOperationException($"commitRoot transaction {receipt.TransactionHash} reverted");
        }

        return c.Attestation.Height;
    }
}
