using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Bridge;

/// <summary>
/// Follows one vault chain: every poll it reads the head, takes the <c>Deposited</c> and
/// <c>ForcedWithdrawalRequested</c> logs buried under <c>confirmations</c> blocks, and sequences those the
/// engine has not processed yet, in id order, each awaited until its block is durable. The cursor is the
/// engine's own counters (deposits credited, requests processed), so a restart rescans the chain and resumes
/// exactly where the state is: nothing is lost or credited twice. An unreachable RPC is retried with
/// exponential backoff.
/// </summary>
public sealed class ChainWatcher
{
    private const int MaxRange = 5_000;
    private readonly Sequencer _sequencer;
    private readonly SettlementChain _chain;
    private readonly int _index;
    private readonly Web3 _web3;
    private readonly Action<string> _log;
    private readonly TimeSpan _poll;
    private long _scanFrom;

    /// <summary>Watches chain <paramref name="index"/> of genesis settlement through <paramref name="rpcUrl"/>.</summary>
    public ChainWatcher(Sequencer sequencer, SettlementConfig config, int index, string rpcUrl, Action<string> log, TimeSpan? poll = null)
    {
        _sequencer = sequencer;
        _chain = config.Chains[index];
        _index = index;
        _web3 = new Web3(rpcUrl);
        _log = log;
        _poll = poll ?? TimeSpan.FromMilliseconds(200);
    }

    /// <summary>Logs sequenced so far (deposits and forced requests), for metrics and tests.</summary>
    public long Sequenced { get; private set; }

    /// <summary>Polls until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        TimeSpan backoff = _poll;
        bool down = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stop).ConfigureAwait(false);
                if (down)
                {
                    _log($"bridge: chain {_chain.ChainId} RPC is back");
                    down = false;
                }

                backoff = _poll;
                await Task.Delay(_poll, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!down)
                {
                    _log($"bridge: chain {_chain.ChainId} poll failed ({e.GetType().Name}: {e.Message}); retrying with backoff");
                    down = true;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(5_000, backoff.TotalMilliseconds * 2));
                try
                {
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One poll: sequences every confirmed, unprocessed log in order.</summary>
    public async Task PollOnceAsync(CancellationToken stop)
    {
        BigInteger head = (await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;
        long safe = (long)head - _chain.Confirmations;
        while (safe >= _scanFrom && !stop.IsCancellationRequested)
        {
            long to = Math.Min(safe, _scanFrom + MaxRange - 1);
            (ulong nextDeposit, ulong nextForced) = await _sequencer.QueryAsync(e => (e.Settlement!.NextDeposit[_index], e.Settlement.ForcedProcessed[_index])).ConfigureAwait(false);
            string vault = _chain.Vault.ToString();
            var from = new BlockParameter(new HexBigInteger(_scanFrom));
            var until = new BlockParameter(new HexBigInteger(to));

            Event<DepositedEvent> deposits = _web3.Eth.GetEvent<DepositedEvent>(vault);
            List<EventLog<DepositedEvent>> dlogs = await deposits.GetAllChangesAsync(deposits.CreateFilterInput(from, until)).ConfigureAwait(false);
            bool complete = true;
            foreach (EventLog<DepositedEvent> l in dlogs.Where(l => l.Event.DepositId >= nextDeposit).OrderBy(l => l.Event.DepositId))
            {
                if (l.Event.DepositId != nextDeposit)
                {
                    complete = false; // a gap: an earlier deposit is not in view yet; rescan this range next poll
                    break;
                }

                var action = new BridgedDeposit(
                    _chain.ChainId, Convert.FromHexString(l.Log.TransactionHash[2..]), (long)l.Log.LogIndex.Value, l.Event.DepositId,
                    Address.Parse(l.Event.Owner), l.Event.Subaccount, Address.Parse(l.Event.Token), Clamp(l.Event.Amount));
                if (!await SubmitAsync(action, ErrorCodes.Name(ErrorCode.DepositAlreadyCredited)).ConfigureAwait(false))
                {
                    complete = false;
                    break;
                }

                nextDeposit++;
            }

            Event<ForcedWithdrawalRequestedEvent> forced = _web3.Eth.GetEvent<ForcedWithdrawalRequestedEvent>(vault);
            List<EventLog<ForcedWithdrawalRequestedEvent>> flogs = await forced.GetAllChangesAsync(forced.CreateFilterInput(from, until)).ConfigureAwait(false);
            foreach (EventLog<ForcedWithdrawalRequestedEvent> l in flogs.Where(l => l.Event.RequestId >= nextForced).OrderBy(l => l.Event.RequestId))
            {
                if (l.Event.RequestId != nextForced)
                {
                    complete = false;
                    break;
                }

                var action = new ForcedWithdrawal(_chain.ChainId, l.Event.RequestId, Address.Parse(l.Event.Owner), l.Event.Subaccount, Address.Parse(l.Event.Token), Clamp(l.Event.Amount));
                if (!await SubmitAsync(action, ErrorCodes.Name(ErrorCode.ForcedRequestProcessed)).ConfigureAwait(false))
                {
                    complete = false;
                    break;
                }

                nextForced++;
            }

            if (!complete)
            {
                return;
            }

            _scanFrom = to + 1;
        }
    }

    // A uint256 beyond UInt128 is sequenced as UInt128.MaxValue: Core refuses both the same way (beyond its range).
    private static UInt128 Clamp(BigInteger v) => v > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)v;

    private async Task<bool> SubmitAsync(SystemAction action, string alreadyDone)
    {
        Ack ack = await _sequencer.SubmitSystemAsync(action).ConfigureAwait(false);
        if (ack.Ok || ack.Code == alreadyDone)
        {
            Sequenced++;
            return true;
        }

        _log($"bridge: chain {_chain.ChainId}: {action.GetType().Name} not sequenced ({ack.Code}: {ack.Message}); retrying next poll");
        return false;
    }
}
