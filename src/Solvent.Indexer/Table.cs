using NpgsqlTypes;

namespace Solvent.Indexer;

/// <summary>A table the indexer fills with binary COPY: its name and columns in COPY order.</summary>
public sealed class Table
{
    private Table(int ordinal, string name, params (string Name, NpgsqlDbType Type)[] columns)
    {
        Ordinal = ordinal;
        Name = name;
        Columns = columns;
        CopyCommand = $"COPY {name} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>The binary COPY statement filling the table.</summary>
    public string CopyCommand { get; }

    /// <summary>Position in <see cref="All"/>.</summary>
    public int Ordinal { get; }

    /// <summary>SQL name.</summary>
    public string Name { get; }

    /// <summary>Columns in COPY order.</summary>
    public IReadOnlyList<(string Name, NpgsqlDbType Type)> Columns { get; }

    private const NpgsqlDbType I64 = NpgsqlDbType.Bigint, I32 = NpgsqlDbType.Integer, Txt = NpgsqlDbType.Text, Bin = NpgsqlDbType.Bytea, Num = NpgsqlDbType.Numeric;

    /// <summary>Per-block summary.</summary>
    public static readonly Table Blocks = new(0, "blocks", ("height", I64), ("time", I64), ("state_root", Bin), ("actions", I32), ("rejected", I32));

    /// <summary>Every action and its outcome.</summary>
    public static readonly Table Actions = new(1, "actions", ("height", I64), ("idx", I32), ("time", I64), ("signer", Bin), ("nonce", I64), ("kind", Txt), ("ok", NpgsqlDbType.Boolean), ("code", Txt), ("message", Txt));

    /// <summary>Events per account touched.</summary>
    public static readonly Table AccountEvents = new(2, "account_events", ("height", I64), ("idx", I32), ("ev", I32), ("role", NpgsqlDbType.Smallint), ("time", I64), ("owner", Bin), ("number", I64), ("kind", Txt), ("asset", I32), ("amount", I64));

    /// <summary>Balances after a block of the accounts it touched.</summary>
    public static readonly Table Balances = new(3, "balances", ("height", I64), ("owner", Bin), ("number", I64), ("asset", I32), ("scaled", I64), ("amount", I64), ("price", I64));

    /// <summary>Positions after a block of the accounts it touched.</summary>
    public static readonly Table Positions = new(4, "positions", ("height", I64), ("owner", Bin), ("number", I64), ("market", I32), ("size", I64), ("quote", I64), ("mark_price", I64));

    /// <summary>Trades.</summary>
    public static readonly Table Fills = new(5, "fills", ("height", I64), ("idx", I32), ("ev", I32), ("time", I64), ("owner", Bin), ("number", I64), ("market", I32), ("size", I64), ("quote", I64), ("fee", I64), ("new_size", I64));

    /// <summary>Lending, perp and backstop liquidations.</summary>
    public static readonly Table Liquidations = new(6, "liquidations", ("height", I64), ("idx", I32), ("ev", I32), ("time", I64), ("kind", Txt), ("liquidator_owner", Bin), ("liquidator_number", I64), ("target_owner", Bin), ("target_number", I64), ("asset", I32), ("collateral_asset", I32), ("amount", I64), ("value", I64), ("penalty", I64), ("to_liquidator", I64), ("to_insurance", I64), ("bad_debt", I64));

    /// <summary>Bad debt, write-offs, insurance payouts, socialized losses, ADL.</summary>
    public static readonly Table Losses = new(7, "losses", ("height", I64), ("idx", I32), ("ev", I32), ("time", I64), ("kind", Txt), ("owner", Bin), ("number", I64), ("asset", I32), ("amount", I64), ("detail", Num));

    /// <summary>Funding index moves per market.</summary>
    public static readonly Table Funding = new(8, "funding", ("market", I32), ("height", I64), ("time", I64), ("interval_start", I64), ("funding_index", Num), ("rate", I64));

    /// <summary>Funding settled into positions.</summary>
    public static readonly Table FundingPayments = new(9, "funding_payments", ("height", I64), ("idx", I32), ("ev", I32), ("time", I64), ("owner", Bin), ("number", I64), ("market", I32), ("amount", I64));

    /// <summary>Oracle aggregates.</summary>
    public static readonly Table OraclePrices = new(10, "oracle_prices", ("height", I64), ("idx", I32), ("ev", I32), ("time", I64), ("asset", I32), ("kind", Txt), ("old_value", I64), ("value", I64));

    /// <summary>Interest index moves per pool.</summary>
    public static readonly Table InterestIndexes = new(11, "interest_indexes", ("asset", I32), ("height", I64), ("time", I64), ("supply_index", Num), ("borrow_index", Num), ("supply_rate", Num), ("borrow_rate", Num));

    /// <summary>Insurance fund balance changes.</summary>
    public static readonly Table Insurance = new(12, "insurance", ("kind", Txt), ("id", I32), ("height", I64), ("time", I64), ("balance", I64));

    /// <summary>Every table filled by COPY, in write order.</summary>
    public static readonly Table[] All = [Blocks, Actions, AccountEvents, Balances, Positions, Fills, Liquidations, Losses, Funding, FundingPayments, OraclePrices, InterestIndexes, Insurance];
}
