using Npgsql;
using Solvent.Core.Math;

namespace Solvent.Indexer.Tests;

public class LiquidationPenaltyTests
{
    [Fact]
    public void Lending_liquidations_record_the_bonus_the_fund_share_is_taken_from()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 3, fillers: 1);
        using var db = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(chain.Dir, db.ConnectionString);
            var risk = chain.Engine.Pools[ChainRecorder.Eth].Risk;
            Assert.True(risk.LiquidationPenalty > 0 && risk.ProtocolShare > 0, "the scenario needs a penalty and a fund share");
            using NpgsqlConnection c = db.Open();
            using var cmd = new NpgsqlCommand("SELECT value, penalty, to_liquidator, to_insurance FROM liquidations WHERE kind = 'lending'", c);
            using NpgsqlDataReader r = cmd.ExecuteReader();
            int n = 0;
            while (r.Read())
            {
                long seized = r.GetInt64(0), penalty = r.GetInt64(1), toLiq = r.GetInt64(2), toIns = r.GetInt64(3);
                n++;

                // The bonus is the seizure above the repaid value: seized · p / (1 + p), to within the engine's roundings.
                long expected = seized * risk.LiquidationPenalty / (Precision.Ppm + risk.LiquidationPenalty);
                Assert.InRange(penalty, expected - 2, expected + 2);

                // The fund's share is taken from the bonus, rounded up; the liquidator gets the rest of the seizure.
                Assert.Equal((penalty * risk.ProtocolShare + Precision.Ppm - 1) / Precision.Ppm, toIns);
                Assert.Equal(seized, toLiq + toIns);
            }

            Assert.Equal(chain.LendingLiquidations, n);
            Assert.True(n >= 3, $"{n} lending liquidations");
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }
}
