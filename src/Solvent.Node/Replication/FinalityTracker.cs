using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Crypto.Settlement;

namespace Solvent.Node.Replication;

/// <summary>
/// Collects validators' attestations and finds the latest height whose attestation (height and all four
/// roots) carries signatures of at least <see cref="ValidatorSet.Threshold"/> distinct validators. Every
/// signature is recovered from the EIP-712 digest; a signer outside the set, a claimed address that the
/// signature does not recover, or a malformed field is ignored. Thread-safe.
/// </summary>
public sealed class FinalityTracker(ValidatorSet validators, Eip712Domain domain)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(long Height, string Roots), SortedDictionary<string, AttestationMessage>> _votes = [];
    private readonly SortedDictionary<long, Final> _recent = [];
    private Final? _final;

    /// <summary>A final attestation and the signatures that make it final, ordered by increasing signer address.</summary>
    /// <param name="Height">Block height.</param>
    /// <param name="StateRoot">Attested state root.</param>
    /// <param name="Signatures">The attestations, by increasing validator address.</param>
    public sealed record Final(long Height, string StateRoot, IReadOnlyList<AttestationMessage> Signatures);

    /// <summary>The validator set.</summary>
    public ValidatorSet Validators { get; } = validators;

    /// <summary>The latest final attestation, or null.</summary>
    public Final? Latest
    {
        get
        {
            lock (_gate)
            {
                return _final;
            }
        }
    }

    /// <summary>The final attestation at <paramref name="height"/> if it was among the last 256 heights made final, else null.</summary>
    public Final? At(long height)
    {
        lock (_gate)
        {
            return _recent.GetValueOrDefault(height);
        }
    }

    /// <summary>Counts <paramref name="m"/>; returns whether it was a valid signature of a validator not counted before.</summary>
    public bool Add(AttestationMessage m)
    {
        if (!TryVerify(m, out Address signer))
        {
            return false;
        }

        lock (_gate)
        {
            if (_final is { } f && m.Height <= f.Height)
            {
                return false;
            }

            var key = (m.Height, $"{m.StateRoot}|{m.WithdrawalsRoot}|{m.ExitRoot}|{m.ForcedRoot}".ToLowerInvariant());
            if (!_votes.TryGetValue(key, out SortedDictionary<string, AttestationMessage>? votes))
            {
                _votes[key] = votes = new SortedDictionary<string, AttestationMessage>(StringComparer.Ordinal);
            }

            string id = signer.ToString().ToLowerInvariant();
            if (!votes.TryAdd(id, m with { Validator = signer.ToString() }))
            {
                return false;
            }

            if (Validators.Threshold > 0 && votes.Count >= Validators.Threshold)
            {
                _final = new Final(m.Height, m.StateRoot.ToLowerInvariant(), [.. votes.Values]);
                _recent[m.Height] = _final;
                if (_recent.Count > 256)
                {
                    _recent.Remove(_recent.Keys.First());
                }

                ReplicationMetrics.FinalHeight.Set(m.Height);
                foreach ((long Height, string Roots) k in _votes.Keys.Where(k => k.Height <= m.Height).ToList())
                {
                    _votes.Remove(k);
                }
            }

            return true;
        }
    }

    /// <summary>Recovers the signer of <paramref name="m"/>; true when it is the claimed validator and in the set.</summary>
    public bool TryVerify(AttestationMessage m, out Address signer)
    {
        signer = default;
        if (m.Height < 1 || !TryRoot(m.StateRoot, out byte[] state) || !TryRoot(m.WithdrawalsRoot, out byte[] withdrawals)
            || !TryRoot(m.ExitRoot, out byte[] exit) || !TryRoot(m.ForcedRoot, out byte[] forced)
            || !TryHex(m.Signature, 65, out byte[] sig) || !Address.TryParse(m.Validator, out Address claimed))
        {
            return false;
        }

        byte[] digest = AttestationTypedData.Digest(domain, new Attestation((ulong)m.Height, state, withdrawals, exit, forced));
        return Secp256k1.Fastest.TryRecover(digest, sig, out signer) == SignatureError.None && signer.Equals(claimed) && Validators.Contains(signer);
    }

    /// <summary>Signs the state-root attestation of <paramref name="height"/> (bridge roots zero) with <paramref name="key"/>.</summary>
    public static AttestationMessage Sign(Eip712Domain domain, byte[] key, long height, byte[] stateRoot) =>
        Sign(domain, key, Attestation.OfStateRoot((ulong)height, stateRoot));

    /// <summary>Signs <paramref name="a"/> (a settlement commitment's roots, or a state root with zero bridge roots) with <paramref name="key"/>.</summary>
    public static AttestationMessage Sign(Eip712Domain domain, byte[] key, Attestation a)
    {
        byte[] sig = Secp256k1.Sign(AttestationTypedData.Digest(domain, a), key);
        return new AttestationMessage((long)a.Height, Api.Hex.Of(a.StateRoot), Api.Hex.Of(a.WithdrawalsRoot), Api.Hex.Of(a.ExitRoot), Api.Hex.Of(a.ForcedRoot), Secp256k1.AddressOf(key).ToString(), Api.Hex.Of(sig));
    }

    private static bool TryRoot(string? hex, out byte[] root) => TryHex(hex, 32, out root);

    private static bool TryHex(string? hex, int length, out byte[] bytes)
    {
        bytes = [];
        if (hex is null || hex.Length != 2 + (2 * length) || !hex.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(hex.AsSpan(2));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
