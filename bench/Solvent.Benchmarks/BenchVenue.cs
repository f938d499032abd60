using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Benchmarks;

/// <summary>The example genesis, loaded from the repository's scenarios folder.</summary>
internal static class BenchVenue
{
    public static Genesis Genesis(string file = "genesis.example.json")
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "scenarios", file)))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException($"scenarios/{file} not found above " + AppContext.BaseDirectory);
        }

        Genesis g = GenesisLoader.Parse(File.ReadAllText(Path.Combine(dir, "scenarios", file)));
        var risk = g.Risk.Select(r => r with { SupplyCap = 0, BorrowCap = 0 }).ToArray();
        return g with { Risk = risk };
    }

    public static Address User(int n) => new(0x1000UL + (ulong)n, 0, (uint)n);

    public static AccountKey Acct(int n) => new(User(n), 0);

    public static long Q(Engine e, int asset, long whole) =>
        checked(whole * (long)Solvent.Core.Math.Precision.Pow10(e.Pools[asset].Config.QuantumDecimals));
}
