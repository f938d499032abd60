using System.Text;
using BenchmarkDotNet.Attributes;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Benchmarks;

/// <summary>
/// The ingress's per-action cost: secp256k1 address recovery with BouncyCastle (baseline) and with the system
/// libsecp256k1 when installed, the whole signed-JSON decode, signing, and Keccak-256 of one EIP-712 word block.
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly Eip712Domain _domain = new(1);
    private byte[] _key = null!;
    private byte[] _digest = null!;
    private byte[] _signature = null!;
    private byte[] _json = null!;
    private byte[] _block = null!;
    private ISignatureRecovery _native = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = Keccak256.Hash(Encoding.UTF8.GetBytes("bench"));
        var deposit = new Deposit(default, new AccountKey(Secp256k1.AddressOf(_key), 0), 1, 1_000_000);
        _digest = ActionCodec.Digest(deposit, 42, _domain);
        _signature = Secp256k1.Sign(_digest, _key);
        _json = Encoding.UTF8.GetBytes(ActionCodec.Encode(deposit, 42, _key, _domain));
        _block = new byte[6 * 32];

        // Without the library the native rows measure nothing useful; the README says how to install it.
        _native = NativeSecp256k1.Instance ?? throw new InvalidOperationException("libsecp256k1.so.1 not found: apt-get install libsecp256k1-1");
    }

    /// <summary>ecrecover with BouncyCastle (pure managed).</summary>
    [Benchmark(Baseline = true)]
    public Address RecoverBouncyCastle()
    {
        Secp256k1.Instance.TryRecover(_digest, _signature, out Address a);
        return a;
    }

    /// <summary>ecrecover with Debian's libsecp256k1 through P/Invoke.</summary>
    [Benchmark]
    public Address RecoverLibsecp256k1()
    {
        _native.TryRecover(_digest, _signature, out Address a);
        return a;
    }

    /// <summary>Parse + schema check + EIP-712 hash + BouncyCastle recovery of one signed Deposit.</summary>
    [Benchmark]
    public SignedAction? DecodeSignedDeposit()
    {
        ActionCodec.TryDecode(_json, _domain, Secp256k1.Instance, out SignedAction? a, out _, out _);
        return a;
    }

    /// <summary>The same decode with libsecp256k1 recovery.</summary>
    [Benchmark]
    public SignedAction? DecodeSignedDepositLibsecp256k1()
    {
        ActionCodec.TryDecode(_json, _domain, _native, out SignedAction? a, out _, out _);
        return a;
    }

    /// <summary>RFC 6979 signing with BouncyCastle (tests, load generator, dev keys; not on the node's path).</summary>
    [Benchmark]
    public byte[] SignBouncyCastle() => Secp256k1.Sign(_digest, _key);

    /// <summary>Keccak-256 of a 192-byte struct (a Deposit's type hash + 5 words).</summary>
    [Benchmark]
    public byte Keccak192Bytes()
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(_block, h);
        return h[0];
    }
}
