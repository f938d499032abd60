using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsCheck;

namespace Solvent.Core.Tests.Golden;

/// <summary>
/// A lock on the state commitment for restructuring the engine: fixed lending and perp property sequences
/// (drawn from fixed generator streams) must reach the state roots recorded in <c>roots.txt</c>. The roots are
/// the engine's own output, so they prove sameness, not correctness — the property tests prove correctness.
/// A change that moves a root on purpose (a new commitment) regenerates the file with
/// <c>SOLVENT_GOLDEN_WRITE=1</c> and says so in docs/protocol.md. Each line also records a hash of the
/// sequence itself, so a changed generator (a CsCheck upgrade) is told apart from a changed engine.
/// </summary>
public class GoldenRootTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly (string Kind, ulong Seed)[] Cases = [("lending", 1), ("lending", 2), ("lending", 3), ("perp", 1), ("perp", 2), ("perp", 3)];

    private static string FilePath()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Solvent.sln")))
        {
            dir = Path.GetDirectoryName(dir.TrimEnd('/')) ?? throw new InvalidOperationException("Solvent.sln not found above the test binaries");
        }

        return Path.Combine(dir, "tests", "Solvent.Core.Tests", "Golden", "roots.txt");
    }

    private static (string OpsHash, string Root) Run(string kind, ulong seed)
    {
        var pcg = new PCG(7, seed);
        var text = new StringBuilder();
        byte[] root;
        if (kind == "lending")
        {
            PropertyTests.Op[] ops = PropertyTests.GenOps.Generate(pcg, null, out _);
            foreach (PropertyTests.Op o in ops)
            {
                text.Append(CultureInfo.InvariantCulture, $"{o.Kind},{o.A},{o.B},{o.Asset},{o.Sub},{o.Frac};");
            }

            root = new PropertyTests.Runner(checkEveryStep: false).Run(ops);
        }
        else
        {
            PerpPropertyTests.Op[] ops = PerpPropertyTests.GenOps.Generate(pcg, null, out _);
            foreach (PerpPropertyTests.Op o in ops)
            {
                text.Append(CultureInfo.InvariantCulture, $"{o.Kind},{o.A},{o.B},{o.Frac};");
            }

            root = new PerpPropertyTests.Runner(check: false).Run(ops);
        }

        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString())))[..16], Convert.ToHexStringLower(root));
    }

    [Fact]
    public void Fixed_sequences_reach_the_recorded_state_roots()
    {
        string path = FilePath();
        var got = new List<string>();
        foreach ((string kind, ulong seed) in Cases)
        {
            (string ops, string root) = Run(kind, seed);
            got.Add($"{kind} {seed} {ops} {root}");
        }

        if (Environment.GetEnvironmentVariable("SOLVENT_GOLDEN_WRITE") == "1")
        {
            File.WriteAllLines(path, ["# kind seed sequence-hash state-root (see GoldenRootTests; regenerate only on purpose)", .. got]);
            output.WriteLine($"wrote {path}");
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing: record it with SOLVENT_GOLDEN_WRITE=1");
        string[] want = [.. File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#')];
        Assert.Equal(Cases.Length, want.Length);
        for (int i = 0; i < want.Length; i++)
        {
            string[] w = want[i].Split(' ');
            string[] g = got[i].Split(' ');
            Assert.True(w[2] == g[2], $"{w[0]} {w[1]}: the generated sequence changed ({w[2]} → {g[2]}), not the engine: a CsCheck or generator change; regenerate roots.txt on the old engine first");
            Assert.True(w[3] == g[3], $"{w[0]} {w[1]}: state root {g[3]}, recorded {w[3]}: the engine's state or its commitment changed");
        }
    }
}
