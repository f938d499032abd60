using System.Collections;
using System.Reflection;
using CsCheck;
using Solvent.Sim.Distributed;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Stress.Tests;

/// <summary>The wire forms of a distributed run: outcomes must round-trip bit for bit; malformed bytes are refused, never crash.</summary>
public class OutcomeCodecTests
{
    private static string ScenarioFile(string name) => Path.Combine(AppContext.BaseDirectory, "scenarios", name);

    [Fact]
    public void Decoded_outcomes_equal_the_originals_in_every_member_and_summarize_to_the_same_bytes()
    {
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(ScenarioFile("mc-baseline.json")), 200);
        StressRun run = StressRunner.Run(s, 4);
        PathOutcome[] decoded = [.. run.Outcomes.Select(o => OutcomeCodec.Decode(OutcomeCodec.Encode(o)))];
        for (int i = 0; i < decoded.Length; i++)
        {
            // Reflection over every property and field, so a member added to PathOutcome later and not
            // carried by the codec fails here rather than silently differing between local and distributed runs.
            AssertDeepEqual(run.Outcomes[i], decoded[i], $"path {i}");
        }

        Assert.NotNull(decoded[0].Series);
        var prepared = new Prepared(s);
        string again = SummaryJson.Serialize(StressRunner.Summarize(s, prepared, decoded, s.Prices.Shock, s.Prices.VolMultiplier));
        Assert.Equal(SummaryJson.Serialize(run.Summary), again);
    }

    [Fact]
    public void Every_double_survives_including_negative_zero_NaN_and_subnormals()
    {
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(ScenarioFile("mc-baseline.json")), 50);
        PathOutcome template = StressRunner.Run(s, 1).Outcomes[0];
        Gen.Select(Gen.Long, Gen.Long, Gen.Int).Sample((bad, net, liq) =>
        {
            double b = BitConverter.Int64BitsToDouble(bad), n = BitConverter.Int64BitsToDouble(net);
            PathOutcome o = template with { BadDebtUsd = b, Liquidations = liq, Series = null, NetFundUsd = n, SocializedByPool = new Dictionary<string, double> { ["v/ETH"] = -0.0, ["v/USDC"] = b } };
            PathOutcome d = OutcomeCodec.Decode(OutcomeCodec.Encode(o));
            Assert.Equal(bad, BitConverter.DoubleToInt64Bits(d.BadDebtUsd));
            Assert.Equal(net, BitConverter.DoubleToInt64Bits(d.NetFundUsd));
            Assert.Equal(liq, d.Liquidations);
            Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(d.SocializedByPool["v/ETH"]));
            Assert.Equal(["v/ETH", "v/USDC"], d.SocializedByPool.Keys);
        }, iter: 2000);
    }

    [Fact]
    public void Damaged_messages_are_refused_with_InvalidDataException_only()
    {
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(ScenarioFile("mc-baseline.json")), 50);
        byte[] outcome = OutcomeCodec.Encode(StressRunner.Run(s, 1).Outcomes[0]);
        byte[] work = new WorkItem(new string('0', 32), new string('a', 64), 10, 0.1, 1, 7, true).Encode();
        Assert.Equal(new WorkItem(new string('0', 32), new string('a', 64), 10, 0.1, 1, 7, true), WorkItem.Decode(work));
        Gen.Select(Gen.Int[0, 1 << 30], Gen.Int[0, 1 << 30], Gen.Byte).Sample((cut, at, value) =>
        {
            foreach (byte[] original in new[] { outcome, work })
            {
                byte[] truncated = original[..(cut % original.Length)];
                byte[] flipped = (byte[])original.Clone();
                flipped[at % flipped.Length] ^= (byte)(value | 1);
                Refused(() => OutcomeCodec.Decode(truncated));
                Refused(() => WorkItem.Decode(truncated));
                Refused(() => PathReply.Decode(truncated));
                Accepted(() => OutcomeCodec.Decode(flipped));
                Accepted(() => WorkItem.Decode(flipped));
            }
        }, iter: 500);
    }

    [Fact]
    public void A_bundle_carries_every_file_and_loads_to_the_same_scenario_outcome()
    {
        string file = ScenarioFile("black-thursday-2020.json");
        ScenarioBundle bundle = ScenarioBundle.FromFile(file);
        Assert.Equal(3, bundle.Files.Count); // the genesis and two candle files (ETH's is named twice, shipped once)
        Assert.DoesNotContain("prices/", bundle.ScenarioJson, StringComparison.Ordinal);
        ScenarioBundle read = ScenarioBundle.Read(bundle.Bytes);
        Assert.Equal(bundle.Hash, read.Hash);
        string dir = Path.Combine(Path.GetTempPath(), "solvent-bundle-" + Guid.NewGuid().ToString("N"));
        try
        {
            Scenario there = ScenarioOverrides.WithAccounts(read.Load(dir), 100);
            Scenario here = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(file), 100);
            Assert.Equal(SummaryJson.Serialize(StressRunner.Run(here, 2).Summary), SummaryJson.Serialize(StressRunner.Run(there, 2).Summary));
        }
        finally
        {
            Directory.Delete(dir, true);
        }

        // A bundle may not write outside its folder.
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write("solvent-scenario-bundle/1");
            w.Write(bundle.ScenarioJson);
            w.Write(1);
            w.Write("f0-/../../etc/evil");
            w.Write(1);
            w.Write((byte)1);
        }

        byte[] evil = ms.ToArray();
        Assert.Equal(bundle.Bytes[..30], evil[..30]);
        Assert.Throws<InvalidDataException>(() => ScenarioBundle.Read(evil));
    }

    private static void Refused(Action decode)
    {
        try
        {
            decode();
        }
        catch (InvalidDataException)
        {
            return;
        }

        // An empty prefix is the only input some decoders could accept; none of these do.
        Assert.Fail("a truncated message was accepted");
    }

    private static void Accepted(Action decode)
    {
        // A flipped bit may still decode (a changed double); it must never throw anything but InvalidDataException.
        try
        {
            decode();
        }
        catch (InvalidDataException)
        {
        }
    }

    private static void AssertDeepEqual(object? a, object? b, string where)
    {
        if (a is null || b is null)
        {
            Assert.True(a is null && b is null, $"{where}: one side is null");
            return;
        }

        Type t = a.GetType();
        if (a is double x)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits((double)b), $"{where}: {x:R} vs {b:R}");
            return;
        }

        if (t.IsPrimitive || a is string || t.IsEnum)
        {
            Assert.True(a.Equals(b), $"{where}: {a} vs {b}");
            return;
        }

        if (a is IDictionary da)
        {
            var db = (IDictionary)b;
            Assert.Equal(da.Keys.Cast<object>(), db.Keys.Cast<object>());
            foreach (object k in da.Keys)
            {
                AssertDeepEqual(da[k], db[k], $"{where}[{k}]");
            }

            return;
        }

        if (a is IEnumerable ea)
        {
            object[] la = [.. ea.Cast<object>()], lb = [.. ((IEnumerable)b).Cast<object>()];
            Assert.True(la.Length == lb.Length, $"{where}: {la.Length} vs {lb.Length} items");
            for (int i = 0; i < la.Length; i++)
            {
                AssertDeepEqual(la[i], lb[i], $"{where}[{i}]");
            }

            return;
        }

        const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (FieldInfo f in t.GetFields(all))
        {
            AssertDeepEqual(f.GetValue(a), f.GetValue(b), $"{where}.{f.Name}");
        }
    }
}
