using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Settlement;
using static Solvent.Core.Tests.Settlement.SettlementVenue;

namespace Solvent.Core.Tests.Settlement;

/// <summary>The escape hatch's claim rule: everyone's claim at committed prices, never more than the vaults hold.</summary>
public sealed class ExitClaimTests
{
    private const long Usd = 1_000_000, Token = 1_000_000_000;

    [Fact]
    public void A_supplier_whose_asset_was_borrowed_out_is_paid_the_rest_in_the_borrowers_collateral()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 100 * Usd);
        v.Deposit(ChainA, 2, Tst, 1 * Token);
        v.MustDo(new BorrowTo(User(2), Acct(2), Usdc, 50 * Usd, ChainA, User(2)));

        // Vault A holds 50 USDC and 1 TST ($100). Alice supplied 100 USDC; Bob owes 50 USDC against 1 TST.
        // Bob nets to 0.5 TST; USDC is over-claimed (100 > 50), so Alice gets 50 USDC and the other $50 as 0.5 TST.
        IReadOnlyList<ExitLeaf> leaves = v.AssertExitsCovered();
        Assert.Equal(
            [
                new ExitLeaf(User(1), ChainA, UsdcA, 50 * Usd),
                new ExitLeaf(User(1), ChainA, TstA, Token / 2),
                new ExitLeaf(User(2), ChainA, TstA, Token / 2),
            ],
            leaves.OrderBy(l => l.Owner).ThenBy(l => l.Token));
    }

    [Fact]
    public void Claims_fill_chains_in_ascending_chain_id_and_owners_in_address_order()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 30 * Usd);
        v.Deposit(ChainB, 2, Usdc, 20 * Usd);
        IReadOnlyList<ExitLeaf> leaves = v.AssertExitsCovered();
        Assert.Equal(
            [
                new ExitLeaf(User(1), ChainA, UsdcA, 30 * Usd),
                new ExitLeaf(User(2), ChainB, UsdcB, 20 * Usd),
            ],
            leaves);
        Assert.Equal(ExitTree.Root([leaves[0].Leaf(), leaves[1].Leaf()]), v.Engine.ExitRoot());
    }

    [Fact]
    public void A_bankrupt_subaccount_claims_nothing_and_its_loss_is_shared_pro_rata_by_the_assets_claimants()
    {
        var v = new SettlementVenue();
        v.Deposit(ChainA, 1, Usdc, 1_000 * Usd);
        v.Deposit(ChainA, 2, Tst, 1 * Token, sub: 1);
        v.Deposit(ChainA, 2, Usdc, 10 * Usd, sub: 2);
        v.MustDo(new BorrowTo(User(2), Acct(2, 1), Usdc, 60 * Usd, ChainA, User(2)));
        v.MustDo(new SetOraclePrice(Gov, Tst, 10_0000_0000)); // TST $100 → $10: sub 1 owes $60 against $10
        IReadOnlyList<ExitLeaf> leaves = v.AssertExitsCovered();
        // Custody: 950 USDC and 1 TST ($10); claims 1,010 USDC. Each USDC claim is cut to 950/1010 and the cuts
        // ($60) are paid at 1/6 from the TST surplus: everyone gets 95.05% — Bob's healthy sub loses no more than Alice.
        long bobUsdc = leaves.Where(l => l.Owner == User(2) && l.Token == UsdcA).Sum(l => l.Amount);
        long bobTst = leaves.Where(l => l.Owner == User(2) && l.Token == TstA).Sum(l => l.Amount);
        long bobValue = bobUsdc + (bobTst / 100); // TST at $10: 1e9 quantums = 10e6 USDC quantums
        Assert.InRange(bobValue, 9_504_900, 9_505_000);
        long alice = leaves.Where(l => l.Owner == User(1)).Sum(l => l.Token == UsdcA ? l.Amount : l.Amount / 100);
        Assert.InRange(alice, 950_490_000, 950_500_000);
    }

    private static readonly Gen<(int Op, int User, int Pick, int Amount)> GenOp =
        Gen.Select(Gen.Int[0, 9], Gen.Int[1, 4], Gen.Int[0, 7], Gen.Int[1, 1000]);

    [Fact]
    public void Exit_claims_per_chain_and_token_never_exceed_custody_after_random_histories()
    {
        GenOp.Array[1, 60].Sample(
            ops =>
            {
                var v = new SettlementVenue();
                long time = v.Engine.Time;
                foreach ((int op, int user, int pick, int amount) in ops)
                {
                    long chain = (pick & 1) == 0 ? ChainA : ChainB;
                    int asset = chain == ChainB || (pick & 2) == 0 ? Usdc : Tst;
                    long q = asset == Usdc ? amount * Usd : amount * Token / 100;
                    switch (op)
                    {
                        case 0 or 1:
                            v.MustDo(v.NextDeposit(chain, user, asset, q, (uint)(pick >> 2) & 1));
                            break;
                        case 2:
                            v.Do(new BorrowTo(User(user), Acct(user, (uint)(pick >> 2) & 1), asset, q / 4, chain, User(user)));
                            break;
                        case 3:
                            v.Do(new WithdrawTo(User(user), Acct(user, (uint)(pick >> 2) & 1), asset, q / 2, chain, User(user)));
                            break;
                        case 4:
                            v.Do(new PlaceOrder(User(user), Acct(user), Perp, ((pick & 1) == 0 ? 1 : -1) * (amount % 20 + 1) * 1_000_000, 0, false));
                            break;
                        case 5:
                            // TST moves between $20 and $250.
                            v.Do(new SetOraclePrice(Gov, Tst, (20 + (amount % 231)) * 1_0000_0000L));
                            break;
                        case 6:
                            v.Do(new Transfer(User(user), Acct(user), Acct(1 + (pick % 4)), asset, q / 3));
                            break;
                        case 7:
                            v.MustDo(v.NextForced(chain, user, asset, q / 5));
                            break;
                        case 8:
                            time += amount * 3600L;
                            v.Engine.Apply(new Block(new BlockHeader(v.Engine.Height + 1, time, v.Engine.LastRoot), []));
                            break;
                        default:
                            v.Do(new Liquidate(User(user), Acct(user), Acct(1 + (pick % 4), 1), Usdc, Tst, q / 8));
                            break;
                    }

                    v.AssertExitsCovered();
                }
            },
            iter: 60,
            threads: 1,
            print: o => $"{o.Length} ops");
    }
}
