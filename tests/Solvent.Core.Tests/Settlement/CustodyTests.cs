using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Settlement;
using Solvent.Core.State;
using static Solvent.Core.Tests.Settlement.SettlementVenue;

namespace Solvent.Core.Tests.Settlement;

/// <summary>Custody: value enters only by bridged deposits, each once, and leaves only to a chain whose vault holds it.</summary>
public sealed class CustodyTests
{
    private const long Million = 1_000_000_000_000; // 1,000,000 USDC in quantums

    [Fact]
    public void A_fresh_key_signing_an_unbacked_deposit_is_refused_and_cannot_borrow_honest_supply()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 500_000_000); // an honest 500 USDC supply
        byte[] root = v.Engine.ComputeStateRoot();

        ActionResult r = v.Do(new Deposit(User(66), Acct(66), Usdc, Million));
        Assert.Equal(ErrorCode.DepositNotBridged, r.Code);
        Assert.Equal("DEPOSIT_NOT_BRIDGED", r.CodeName);
        Assert.Equal(root, v.Engine.ComputeStateRoot());

        // The other doors that bring tokens in without a vault behind them are shut too.
        Assert.Equal(ErrorCode.DepositNotBridged, v.Do(new Repay(User(66), Acct(66), Usdc, Million)).Code);
        Assert.Equal(ErrorCode.DepositNotBridged, v.Do(new FundInsurance(User(66), Usdc, Million)).Code);

        // With nothing credited the attacker can neither borrow out nor take the supply.
        Assert.Equal(ErrorCode.UnknownAccount, v.Do(new BorrowTo(User(66), Acct(66), Usdc, 400_000_000, ChainA, User(66))).Code);
        Assert.Equal(root, v.Engine.ComputeStateRoot());
        Assert.Equal(500_000_000, v.Custody(ChainA, Usdc));
    }

    [Fact]
    public void Without_a_destination_tokens_do_not_leave_a_bridged_venue()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 100_000_000);
        Assert.Equal(ErrorCode.DestinationRequired, v.Do(new Withdraw(User(1), Acct(1), Usdc, 1)).Code);
        Assert.Equal(ErrorCode.DestinationRequired, v.Do(new Borrow(User(1), Acct(1), Usdc, 1)).Code);
    }

    [Fact]
    public void Declared_custody_still_credits_signed_deposits()
    {
        var v = new SettlementVenue("declared");
        v.MustDo(new Deposit(User(1), Acct(1), Usdc, 100));
        Assert.Equal(100, v.Balance(1, Usdc));
    }

    [Fact]
    public void Without_a_settlement_section_withdrawing_to_a_chain_is_refused()
    {
        var e = new Engine(GenesisLoader.Parse(Json("")));
        Assert.Null(e.Settlement);
        Assert.True(e.Apply(new Deposit(User(1), Acct(1), Usdc, 100)).Ok);
        ActionResult r = e.Apply(new WithdrawTo(User(1), Acct(1), Usdc, 10, ChainA, User(1)));
        Assert.Equal(ErrorCode.SettlementOff, r.Code);
    }

    [Fact]
    public void A_deposit_is_credited_once_and_in_order()
    {
        var v = new SettlementVenue();
        BridgedDeposit d0 = v.NextDeposit(ChainA, 1, Usdc, 70);
        ActionResult ok = v.MustDo(d0);
        Assert.Contains(ok.Events, e => e is BridgedDepositCredited { Amount: 70, DepositId: 0 });
        byte[] root = v.Engine.ComputeStateRoot();

        Assert.Equal(ErrorCode.DepositAlreadyCredited, v.Do(d0).Code);
        Assert.Equal(ErrorCode.DepositAlreadyCredited, v.Do(d0 with { Owner = User(2), Amount = 1_000_000 }).Code);
        Assert.Equal(ErrorCode.DepositOutOfOrder, v.Do(d0 with { DepositId = 2 }).Code);
        Assert.Equal(ErrorCode.UnknownChain, v.Do(d0 with { ChainId = 1, DepositId = 1 }).Code);
        Assert.Equal(root, v.Engine.ComputeStateRoot());

        // Deposit ids count per chain: B's first deposit is id 0 even after A's.
        v.Deposit(ChainB, 1, Usdc, 30);
        Assert.Equal(100, v.Balance(1, Usdc));
        Assert.Equal(70, v.Custody(ChainA, Usdc));
        Assert.Equal(30, v.Custody(ChainB, Usdc));
        Assert.Equal(1UL, v.Engine.Settlement!.NextDeposit[v.Engine.Settlement.Config.IndexOfChain(ChainA)]);
    }

    [Fact]
    public void A_deposit_that_cannot_be_credited_is_refunded_on_its_chain_and_the_sequence_goes_on()
    {
        var v = new SettlementVenue();
        // Governance paused USDC: the supply cannot be credited, so the vault pays it back to the depositor.
        AssetRiskParams risk = v.Engine.Pools[Usdc].Risk with { Paused = true };
        v.MustDo(new UpdateAssetRisk(Gov, Usdc, risk));
        ActionResult r = v.MustDo(v.NextDeposit(ChainA, 1, Usdc, 5));
        BridgedDepositRefunded refund = Assert.Single(r.Events.OfType<BridgedDepositRefunded>());
        Assert.Equal(0, refund.RefundId);
        Assert.StartsWith("ASSET_PAUSED", refund.Reason, StringComparison.Ordinal);
        WithdrawalRecord rec = v.Engine.Settlement!.Records[0];
        Assert.Equal((User(1), ChainA, UsdcA, 5L), (rec.Recipient, rec.ChainId, rec.Token, rec.Amount));
        Assert.Equal(0, v.Balance(1, Usdc));
        Assert.Equal(0, v.Custody(ChainA, Usdc));
        v.MustDo(new UpdateAssetRisk(Gov, Usdc, risk with { Paused = false }));

        // A zero owner (no key) cannot even be refunded: the tokens stay in the vault, outside custody.
        ActionResult z = v.MustDo(v.NextDeposit(ChainA, 1, Usdc, 5) with { Owner = Address.Zero });
        Assert.Equal(-1, Assert.Single(z.Events.OfType<BridgedDepositRefunded>()).RefundId);

        BridgedDeposit huge = v.NextDeposit(ChainA, 1, Usdc, 1) with { Amount = (UInt128)long.MaxValue + 1 };
        ActionResult r2 = v.MustDo(huge);
        Assert.Equal(-1, Assert.Single(r2.Events.OfType<BridgedDepositRefunded>()).RefundId);
        Assert.Equal(0, v.Custody(ChainA, Usdc));

        v.Deposit(ChainA, 1, Usdc, 9);
        Assert.Equal(9, v.Balance(1, Usdc));
        Assert.Equal(9, v.Custody(ChainA, Usdc));
    }

    [Fact]
    public void A_withdrawal_to_a_chain_whose_vault_lacks_the_asset_is_refused()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 100_000_000);
        v.Deposit(ChainB, 2, Usdc, 10_000_000);
        byte[] root = v.Engine.ComputeStateRoot();

        ActionResult r = v.Do(new WithdrawTo(User(1), Acct(1), Usdc, 50_000_000, ChainB, User(1)));
        Assert.Equal(ErrorCode.ChainLiquidity, r.Code);
        Assert.Equal("CHAIN_LIQUIDITY", r.CodeName);
        Assert.Equal(ErrorCode.AssetNotOnChain, v.Do(new WithdrawTo(User(1), Acct(1), Tst, 1, ChainB, User(1))).Code);
        Assert.Equal(ErrorCode.UnknownChain, v.Do(new WithdrawTo(User(1), Acct(1), Usdc, 1, 5, User(1))).Code);
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new WithdrawTo(User(1), Acct(1), Usdc, 1, ChainA, Address.Zero)).Code);
        Assert.Equal(root, v.Engine.ComputeStateRoot());

        ActionResult ok = v.MustDo(new WithdrawTo(User(1), Acct(1), Usdc, 10_000_000, ChainB, User(9)));
        WithdrawalRecorded rec = Assert.Single(ok.Events.OfType<WithdrawalRecorded>());
        Assert.Equal(new WithdrawalRecord(0, User(9), ChainB, UsdcB, 10_000_000), rec.Record);
        Assert.Equal(0, v.Custody(ChainB, Usdc));
        Assert.Equal(90_000_000, v.Balance(1, Usdc));

        // B is now empty: even user 2, who deposited there, must take its USDC from A.
        Assert.Equal(ErrorCode.ChainLiquidity, v.Do(new WithdrawTo(User(2), Acct(2), Usdc, 1, ChainB, User(2))).Code);
        v.MustDo(new WithdrawTo(User(2), Acct(2), Usdc, 10_000_000, ChainA, User(2)));
        Assert.Equal(90_000_000, v.Custody(ChainA, Usdc));
    }

    [Fact]
    public void Withdrawals_cannot_take_more_than_the_account_has_or_someone_elses_funds()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 2, Usdc, 1_000);
        v.Deposit(ChainA, 1, Usdc, 100);
        Assert.Equal(ErrorCode.InsufficientBalance, v.Do(new WithdrawTo(User(1), Acct(1), Usdc, 101, ChainA, User(1))).Code);
        Assert.Equal(ErrorCode.Unauthorized, v.Do(new WithdrawTo(User(2), Acct(1), Usdc, 100, ChainA, User(2))).Code);
        Assert.Equal(ErrorCode.InvalidAmount, v.Do(new WithdrawTo(User(1), Acct(1), Usdc, -5, ChainA, User(1))).Code);
        Assert.Equal(ErrorCode.InvalidAmount, v.Do(new WithdrawTo(User(1), Acct(1), Usdc, long.MinValue, ChainA, User(1))).Code);
        Assert.Equal(0UL, v.Engine.Settlement!.Tree.Count);
    }

    [Fact]
    public void A_forced_withdrawal_executes_when_affordable_and_is_processed_with_zero_when_not()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 100);
        ActionResult ok = v.MustDo(v.NextForced(ChainA, 1, Usdc, 60));
        Assert.Contains(ok.Events, e => e is ForcedWithdrawalProcessed { Amount: 60 });
        Assert.Equal(40, v.Balance(1, Usdc));
        Assert.Equal(new WithdrawalRecord(0, User(1), ChainA, UsdcA, 60), v.Engine.Settlement!.Records[0]);

        ActionResult zero = v.MustDo(v.NextForced(ChainA, 1, Usdc, 41));
        Assert.Contains(zero.Events, e => e is ForcedWithdrawalProcessed { Amount: 0 });
        Assert.Equal(40, v.Balance(1, Usdc));
        Assert.Equal(2UL, v.Engine.Settlement.ForcedProcessed[v.Engine.Settlement.Config.IndexOfChain(ChainA)]);
        Assert.Equal(1UL, v.Engine.Settlement.Tree.Count);
    }

    [Fact]
    public void Forced_request_spam_is_processed_in_order_once_and_moves_nothing_it_cannot_afford()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 1_000);
        v.Deposit(ChainA, 2, Usdc, 1_000);
        byte[] forced0 = v.Engine.ForcedRoot();
        var requests = new List<ForcedWithdrawal>();
        for (int i = 0; i < 500; i++)
        {
            // The spammer (user 3, no account) asks for everything, for huge and zero amounts.
            long amount = (i % 3) switch { 0 => 1_000, 1 => 0, _ => long.MaxValue };
            requests.Add(v.NextForced(ChainA, 3, Usdc, amount));
            v.MustDo(requests[^1]);
        }

        Assert.Equal(1_000, v.Balance(1, Usdc));
        Assert.Equal(1_000, v.Balance(2, Usdc));
        Assert.Equal(2_000, v.Custody(ChainA, Usdc));
        Assert.Equal(0UL, v.Engine.Settlement!.Tree.Count);
        Assert.Equal(500UL, v.Engine.Settlement.ForcedProcessed[v.Engine.Settlement.Config.IndexOfChain(ChainA)]);
        Assert.NotEqual(forced0, v.Engine.ForcedRoot());
        Assert.Equal(ErrorCode.ForcedRequestProcessed, v.Do(requests[7]).Code);
        Assert.Equal(ErrorCode.ForcedRequestOutOfOrder, v.Do(requests[0] with { RequestId = 501 }).Code);
    }

    [Fact]
    public void The_forced_root_is_the_abi_encoding_of_chain_ids_and_counts()
    {
        var v = new SettlementVenue();
        v.MustDo(v.NextForced(ChainB, 1, Usdc, 5));
        // abi.encode(uint256[] [31337, 31338], uint64[] [0, 1]) written out word by word.
        var words = new List<byte[]>();
        foreach (ulong w in new ulong[] { 64, 160, 2, 31337, 31338, 2, 0, 1 })
        {
            byte[] b = new byte[32];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(24), w);
            words.Add(b);
        }

        Assert.Equal(Keccak.Hash(words.SelectMany(x => x).ToArray()), v.Engine.ForcedRoot());
    }

    [Fact]
    public void A_snapshot_carries_custody_counters_and_withdrawal_records()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 1_000_000);
        v.Deposit(ChainB, 1, Usdc, 2_000_000);
        v.MustDo(new WithdrawTo(User(1), Acct(1), Usdc, 1_500_000, ChainB, User(1)));
        v.MustDo(v.NextForced(ChainA, 1, Usdc, 3));
        byte[] root = v.Engine.ComputeStateRoot();
        Engine copy = Engine.RestoreSnapshot(v.Engine.Genesis, v.Engine.SaveSnapshot(), root);
        Assert.Equal(root, copy.ComputeStateRoot());
        Assert.Equal(v.Engine.WithdrawalsRoot(), copy.WithdrawalsRoot());
        Assert.Equal(v.Engine.ForcedRoot(), copy.ForcedRoot());
        Assert.Equal(v.Engine.Settlement!.Records, copy.Settlement!.Records);

        // The custody is covered by the root: another custody is another root.
        copy.Settlement.Custody[0][0]++;
        Assert.NotEqual(root, copy.ComputeStateRoot());
        byte[] tampered = v.Engine.SaveSnapshot();
        tampered[^1] ^= 1;
        Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(v.Engine.Genesis, tampered));
    }

    [Fact]
    public void Without_settlement_the_state_encoding_is_unchanged()
    {
        var plain = new Engine(GenesisLoader.Parse(Json("")));
        var bridged = new Engine(SettlementVenue.Genesis());
        byte[] a = plain.SaveSnapshot(), b = bridged.SaveSnapshot();
        Assert.True(b.Length > a.Length);
        Assert.Equal(a, b[..a.Length]);
    }
}
