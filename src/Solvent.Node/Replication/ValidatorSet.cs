using System.Text.Json;
using Solvent.Core.State;

namespace Solvent.Node.Replication;

/// <summary>
/// The validators whose attestations make a root final, and how many are needed. Read from the genesis
/// file's <c>settlement</c> section (<c>validators</c>, <c>threshold</c>) or, without one, its
/// <c>replication</c> section of the same shape; an empty set means nothing ever becomes final.
/// </summary>
public sealed class ValidatorSet
{
    private readonly HashSet<Address> _members;

    private ValidatorSet(IReadOnlyList<Address> validators, int threshold)
    {
        Validators = validators;
        Threshold = threshold;
        _members = [.. validators];
    }

    /// <summary>The validators in genesis order.</summary>
    public IReadOnlyList<Address> Validators { get; }

    /// <summary>Distinct validator signatures a root needs to be final.</summary>
    public int Threshold { get; }

    /// <summary>Whether <paramref name="a"/> is a validator.</summary>
    public bool Contains(Address a) => _members.Contains(a);

    /// <summary>Reads the set from genesis JSON text.</summary>
    /// <exception cref="InvalidDataException">The section is malformed (bad address, duplicate, threshold out of range).</exception>
    public static ValidatorSet FromGenesis(string genesisJson)
    {
        using JsonDocument doc = JsonDocument.Parse(genesisJson);
        JsonElement root = doc.RootElement;
        string section = "settlement";
        if (!root.TryGetProperty(section, out JsonElement s) || s.ValueKind != JsonValueKind.Object || !s.TryGetProperty("validators", out _))
        {
            section = "replication";
            if (!root.TryGetProperty(section, out s) || s.ValueKind != JsonValueKind.Object)
            {
                return new ValidatorSet([], 0);
            }
        }

        var list = new List<Address>();
        if (s.TryGetProperty("validators", out JsonElement vs))
        {
            if (vs.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"genesis {section}.validators must be an array of addresses");
            }

            foreach (JsonElement v in vs.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.String || !Address.TryParse(v.GetString(), out Address a))
                {
                    throw new InvalidDataException($"genesis {section}.validators: '{v}' is not a 0x address");
                }

                if (list.Contains(a))
                {
                    throw new InvalidDataException($"genesis {section}.validators lists {a} twice");
                }

                list.Add(a);
            }
        }

        int threshold = list.Count / 2 + 1;
        if (s.TryGetProperty("threshold", out JsonElement t))
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out threshold) || threshold < 1 || threshold > list.Count)
            {
                throw new InvalidDataException($"genesis {section}.threshold must be an integer from 1 to the number of validators ({list.Count})");
            }
        }

        return new ValidatorSet(list, list.Count == 0 ? 0 : threshold);
    }
}
