using Npgsql;

namespace Solvent.Indexer.Api;

/// <summary>
/// The account-history query, shared by the API and its benchmark: newest first, keyset-paged on
/// (height, idx, ev, role) so a deep page costs what the first does — one descent of the
/// <c>account_events_owner</c> index (owner, height desc, idx desc, ev desc, role desc) then <c>LIMIT</c> rows.
/// </summary>
public static class HistoryQuery
{
    /// <summary>A cursor before every event: the first page.</summary>
    public static readonly (long Height, int Idx, int Ev, short Role) Start = (long.MaxValue, int.MaxValue, int.MaxValue, short.MaxValue);

    /// <summary>A command for one page of <paramref name="owner"/>'s events older than <paramref name="cursor"/>, of subaccount <paramref name="subaccount"/> (or all when negative).</summary>
    public static NpgsqlCommand Command(NpgsqlConnection conn, byte[] owner, long subaccount, (long Height, int Idx, int Ev, short Role) cursor, int limit)
    {
        var cmd = new NpgsqlCommand(
            "SELECT height, idx, ev, role, time, number, kind, asset, amount FROM account_events WHERE owner = $1 " +
            (subaccount >= 0 ? "AND number = $4 " : "") +
            "AND (height, idx, ev, role) < ($2, $3::int, $5::int, $6::smallint) ORDER BY height DESC, idx DESC, ev DESC, role DESC LIMIT $7",
            conn);
        cmd.Parameters.AddWithValue(owner);
        cmd.Parameters.AddWithValue(cursor.Height);
        cmd.Parameters.AddWithValue(cursor.Idx);
        cmd.Parameters.AddWithValue(subaccount);
        cmd.Parameters.AddWithValue(cursor.Ev);
        cmd.Parameters.AddWithValue(cursor.Role);
        cmd.Parameters.AddWithValue(limit);
        return cmd;
    }
}
