using System.Globalization;
using Npgsql;
using Solvent.Core.State;

namespace Solvent.Indexer.Api;

/// <summary>
/// The read API over the indexed tables (documented in docs/indexer.openapi.json): account history with
/// cursor paging, liquidations by time range and asset, funding history and candles. Bad parameters get
/// a 400 with a message.
/// </summary>
public static class IndexerApi
{
    private const int MaxLimit = 500;

    /// <summary>Maps the endpoints onto <paramref name="app"/>, reading from <paramref name="dataSource"/>.</summary>
    public static void Map(WebApplication app, NpgsqlDataSource dataSource)
    {
        app.MapGet("/v1/accounts/{address}/history", (string address, HttpRequest req) => Run(() => History(dataSource, address, req)));
        app.MapGet("/v1/liquidations", (HttpRequest req) => Run(() => Liquidations(dataSource, req)));
        app.MapGet("/v1/funding/{market:int}", (int market, HttpRequest req) => Run(() => Funding(dataSource, market, req)));
        app.MapGet("/v1/candles/{market:int}", (int market, HttpRequest req) => Run(() => Candles(dataSource, market, req)));
        app.MapGet("/v1/status", () => Run(() =>
        {
            using NpgsqlConnection c = dataSource.OpenConnection();
            IndexerState? s = PgWriter.ReadState(c);
            return Results.Json(new { height = s?.LastHeight ?? 0, genesisHash = s is null ? null : "0x" + Convert.ToHexStringLower(s.GenesisHash) });
        }));
    }

    private sealed class BadRequest(string message) : Exception(message);

    private static IResult Run(Func<IResult> f)
    {
        try
        {
            return f();
        }
        catch (BadRequest e)
        {
            return Results.Json(new { error = "BAD_REQUEST", message = e.Message }, statusCode: 400);
        }
    }

    private static long LongParam(HttpRequest req, string name, long fallback)
    {
        string? v = req.Query[name];
        if (v is null)
        {
            return fallback;
        }

        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x : throw new BadRequest($"{name} must be an integer, got '{v}'");
    }

    private static int Limit(HttpRequest req)
    {
        long l = LongParam(req, "limit", 100);
        return l is < 1 or > MaxLimit ? throw new BadRequest($"limit must be between 1 and {MaxLimit}") : (int)l;
    }

    private static IResult History(NpgsqlDataSource ds, string address, HttpRequest req)
    {
        if (!Address.TryParse(address, out Address a))
        {
            throw new BadRequest($"'{address}' is not a 0x-prefixed 20-byte address");
        }

        int limit = Limit(req);
        long sub = LongParam(req, "subaccount", -1);
        (long h, long i, long e, long r) cursor = (long.MaxValue, int.MaxValue, int.MaxValue, short.MaxValue);
        if (req.Query["cursor"].ToString() is { Length: > 0 } c)
        {
            string[] p = c.Split('.');
            if (p.Length != 4 || !long.TryParse(p[0], out cursor.h) || !long.TryParse(p[1], out cursor.i) || !long.TryParse(p[2], out cursor.e) || !long.TryParse(p[3], out cursor.r))
            {
                throw new BadRequest($"cursor '{c}' is not one this API returned");
            }
        }

        using NpgsqlConnection conn = ds.OpenConnection();
        using NpgsqlCommand cmd = HistoryQuery.Command(
            conn,
            Projector.AddressBytes(a),
            sub,
            (cursor.h, (int)Math.Clamp(cursor.i, int.MinValue, int.MaxValue), (int)Math.Clamp(cursor.e, int.MinValue, int.MaxValue), (short)Math.Clamp(cursor.r, short.MinValue, short.MaxValue)),
            limit);
        var items = new List<object>();
        string? next = null;
        using (NpgsqlDataReader r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                items.Add(new { height = r.GetInt64(0), action = r.GetInt32(1), @event = r.GetInt32(2), time = r.GetInt64(4), subaccount = r.GetInt64(5), kind = r.GetString(6), asset = r.GetInt32(7), amount = r.GetInt64(8).ToString(CultureInfo.InvariantCulture) });
                next = $"{r.GetInt64(0)}.{r.GetInt32(1)}.{r.GetInt32(2)}.{r.GetInt16(3)}";
            }
        }

        return Results.Json(new { items, nextCursor = items.Count == limit ? next : null });
    }

    private static IResult Liquidations(NpgsqlDataSource ds, HttpRequest req)
    {
        long from = LongParam(req, "from", 0), to = LongParam(req, "to", long.MaxValue), asset = LongParam(req, "asset", -1);
        if (from > to)
        {
            throw new BadRequest("from must not be after to");
        }

        string? kind = req.Query["kind"];
        if (kind is not null and not ("lending" or "perp" or "backstop"))
        {
            throw new BadRequest("kind must be lending, perp or backstop");
        }

        int limit = Limit(req);
        using NpgsqlConnection conn = ds.OpenConnection();
        using var cmd = new NpgsqlCommand(
            "SELECT height, idx, time, kind, target_owner, target_number, asset, collateral_asset, amount, value, penalty, to_liquidator, to_insurance, bad_debt FROM liquidations " +
            "WHERE time >= $1 AND time <= $2 AND ($3 < 0 OR asset = $3) AND ($4::text IS NULL OR kind = $4) ORDER BY height, idx, ev LIMIT $5", conn);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        cmd.Parameters.AddWithValue((int)Math.Clamp(asset, -1, int.MaxValue));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(limit);
        var items = new List<object>();
        using NpgsqlDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            items.Add(new
            {
                height = r.GetInt64(0),
                action = r.GetInt32(1),
                time = r.GetInt64(2),
                kind = r.GetString(3),
                target = "0x" + Convert.ToHexStringLower((byte[])r[4]),
                subaccount = r.GetInt64(5),
                asset = r.GetInt32(6),
                collateralAsset = r.IsDBNull(7) ? (int?)null : r.GetInt32(7),
                amount = r.GetInt64(8).ToString(CultureInfo.InvariantCulture),
                value = r.GetInt64(9).ToString(CultureInfo.InvariantCulture),
                penalty = r.GetInt64(10).ToString(CultureInfo.InvariantCulture),
                toLiquidator = r.GetInt64(11).ToString(CultureInfo.InvariantCulture),
                toInsurance = r.GetInt64(12).ToString(CultureInfo.InvariantCulture),
                badDebt = r.GetInt64(13).ToString(CultureInfo.InvariantCulture),
            });
        }

        return Results.Json(new { items });
    }

    private static IResult Funding(NpgsqlDataSource ds, int market, HttpRequest req)
    {
        long from = LongParam(req, "from", 0), to = LongParam(req, "to", long.MaxValue);
        int limit = Limit(req);
        using NpgsqlConnection conn = ds.OpenConnection();
        using var cmd = new NpgsqlCommand(
            "SELECT height, time, interval_start, funding_index::text, rate FROM funding WHERE market = $1 AND time >= $2 AND time <= $3 ORDER BY height LIMIT $4", conn);
        cmd.Parameters.AddWithValue(market);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        cmd.Parameters.AddWithValue(limit);
        var items = new List<object>();
        using (NpgsqlDataReader r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                items.Add(new { height = r.GetInt64(0), time = r.GetInt64(1), intervalStart = r.GetInt64(2), fundingIndex = r.GetString(3), rate = r.GetInt64(4) });
            }
        }

        using var total = new NpgsqlCommand("SELECT COALESCE(SUM(amount), 0)::bigint FROM funding_payments WHERE market = $1 AND time >= $2 AND time <= $3", conn);
        total.Parameters.AddWithValue(market);
        total.Parameters.AddWithValue(from);
        total.Parameters.AddWithValue(to);
        long settled = (long)total.ExecuteScalar()!;
        return Results.Json(new { items, settled = settled.ToString(CultureInfo.InvariantCulture) });
    }

    private static IResult Candles(NpgsqlDataSource ds, int market, HttpRequest req)
    {
        long from = LongParam(req, "from", 0), to = LongParam(req, "to", long.MaxValue);
        int limit = Limit(req);
        using NpgsqlConnection conn = ds.OpenConnection();
        using var cmd = new NpgsqlCommand("SELECT minute, open, high, low, close, volume_base, volume_quote, trades FROM candles WHERE market = $1 AND minute >= $2 AND minute <= $3 ORDER BY minute LIMIT $4", conn);
        cmd.Parameters.AddWithValue(market);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        cmd.Parameters.AddWithValue(limit);
        var items = new List<object>();
        using NpgsqlDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            items.Add(new { minute = r.GetInt64(0), open = r.GetInt64(1), high = r.GetInt64(2), low = r.GetInt64(3), close = r.GetInt64(4), volumeBase = r.GetInt64(5), volumeQuote = r.GetInt64(6), trades = r.GetInt32(7) });
        }

        return Results.Json(new { items });
    }
}
