namespace Solvent.Core.State;

/// <summary>A subaccount: an owner address and a subaccount number.</summary>
public readonly record struct AccountKey(Address Owner, uint Number) : IComparable<AccountKey>
{
    /// <summary>Field-wise equality.</summary>
    public bool Equals(AccountKey other) => Number == other.Number && Owner.Equals(other.Owner);

    /// <summary>Lookup hash (never reaches state).</summary>
    public override int GetHashCode() => unchecked(Owner.GetHashCode() ^ (int)(Number * 0x9E3779B1U));

    /// <inheritdoc />
    public int CompareTo(AccountKey other)
    {
        int c = Owner.CompareTo(other.Owner);
        return c != 0 ? c : Number.CompareTo(other.Number);
    }

    /// <summary>"0x…/n".</summary>
    public override string ToString() => $"{Owner}/{Number}";
}
