using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>
/// Writes the JSON report of an <see cref="EvalBook"/> in independent pieces — the opening, runs of
/// subaccounts by account id, and the closing — whose concatenation in order is, byte for byte, what
/// <see cref="EvalReportJson"/> writes with an indented writer (and so the serialized
/// <see cref="EvalReport"/>). Each run is formatted straight into the caller's buffer from the health
/// evaluated at build time, so runs can be made on several threads and written out in order. Runs
/// with liquidation prices move the engine's prices while they search and must not overlap in time.
/// </summary>
public sealed class EvalReportWriter
{
    private const int V = Precision.ValueDecimals;
    private readonly EvalBook _book;
    private readonly bool _liquidationPrices;
    private readonly byte[][] _assetNames;
    private readonly byte[][] _marketNames;
    private readonly int _firstReported;
    private readonly int _boundPerSubaccount;

    /// <summary>A writer for <paramref name="book"/>'s report, with or without liquidation prices.</summary>
    public EvalReportWriter(EvalBook book, bool liquidationPrices)
    {
        _book = book;
        _liquidationPrices = liquidationPrices;
        Engine engine = book.Engine;

        // Symbols are escaped exactly as the JSON writer escapes them, once.
        _assetNames = engine.Pools.Select(p => Quoted(p.Config.Symbol)).ToArray();
        _marketNames = engine.Markets.Select(m => Quoted(m.Config.Symbol)).ToArray();
        _firstReported = 2 * engine.Markets.Length;

        // At most 13 amounts of at most 300 bytes for the subaccount, 4 per balance line, 7 per position line.
        _boundPerSubaccount = 4096
            + (engine.Pools.Length * ((4 * 300) + 256 + _assetNames.Select(n => n.Length).DefaultIfEmpty().Max()))
            + (engine.Markets.Length * ((7 * 300) + 256 + _marketNames.Select(n => n.Length).DefaultIfEmpty().Max()));
    }

    /// <summary>Account ids [<see cref="FirstId"/>, <see cref="EndId"/>) are the reported subaccounts.</summary>
    public int FirstId => _firstReported;

    /// <summary>One past the last reported account id.</summary>
    public int EndId => _book.Engine.Accounts.Count;

    /// <summary>Writes the opening of the report, up to the first subaccount.</summary>
    public void WriteHead(IBufferWriter<byte> into)
    {
        using var w = new Utf8JsonWriter(into, new JsonWriterOptions { Indented = true });
        EvalReportJson.WriteStart(w, _book.Engine);
        if (_firstReported == EndId)
        {
            // No subaccounts: the writer closes the empty array as it would.
            EvalReportJson.WriteEnd(w, _book.Engine);
        }
    }

    /// <summary>Writes the closing of the report after the last subaccount (prices and parameters).</summary>
    public void WriteTail(IBufferWriter<byte> into)
    {
        if (_firstReported == EndId)
        {
            return;
        }

        // A writer left inside a non-empty subaccounts array closes it as the streamed report does;
        // what it wrote to get there is dropped.
        var scratch = new ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(scratch, new JsonWriterOptions { Indented = true, SkipValidation = true });
        w.WriteStartObject();
        w.WriteStartArray("subaccounts"u8);
        w.WriteNullValue();
        w.Flush();
        int skip = scratch.WrittenCount;
        EvalReportJson.WriteEnd(w, _book.Engine);
        w.Flush();
        into.Write(scratch.WrittenSpan[skip..]);
    }

    /// <summary>
    /// Writes the subaccounts with account ids in [<paramref name="fromId"/>, <paramref name="toId"/>)
    /// (within <see cref="FirstId"/>..<see cref="EndId"/>), each as an element of the report's array.
    /// </summary>
    public void WriteSubaccounts(IBufferWriter<byte> into, int fromId, int toId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromId, _firstReported);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toId, EndId);
        for (int id = fromId; id < toId; id++)
        {
            var o = new Out(into.GetSpan(_boundPerSubaccount));
            WriteSubaccount(ref o, id);
            into.Advance(o.Pos);
        }
    }

    private void WriteSubaccount(ref Out o, int id)
    {
        Engine engine = _book.Engine;
        AssetPool[] pools = engine.Pools;
        Health h = _book.Health[id];
        AccountKey key = engine.Accounts.KeyOf(id);
        o.Raw(id == _firstReported ? "\n    {\n      \"owner\": \"0x"u8 : ",\n    {\n      \"owner\": \"0x"u8);
        o.Hex(key.Owner.Hi, 16);
        o.Hex(key.Owner.Mid, 16);
        o.Hex(key.Owner.Lo, 8);
        o.Raw("\",\n      \"number\": "u8);
        o.Digits(key.Number);
        o.Raw(engine.Accounts.ModeOf(id) == MarginMode.Cross ? ",\n      \"mode\": \"cross\",\n      \"balances\": ["u8 : ",\n      \"mode\": \"isolated\",\n      \"balances\": ["u8);
        bool any = false;
        for (int a = 0; a < pools.Length; a++)
        {
            if (engine.Accounts.Scaled(id, a) == 0)
            {
                continue;
            }

            BalanceFigures b = BalanceFigures.Of(engine, id, a, _liquidationPrices);
            o.Raw(any ? ",\n        {\n          \"asset\": "u8 : "\n        {\n          \"asset\": "u8);
            any = true;
            o.Raw(_assetNames[a]);
            o.Raw(",\n          \"balance\": "u8);
            o.Amount(b.Amount, pools[a].Config.QuantumDecimals, nested: true);
            o.Raw(",\n          \"price\": "u8);
            o.Amount(b.Price, Precision.PriceDecimals, nested: true);
            o.Raw(",\n          \"value\": "u8);
            o.Amount(b.Value, V, nested: true);
            o.Raw(",\n          \"liquidationPrice\": "u8);
            o.Amount(b.LiquidationPrice, Precision.PriceDecimals, nested: true);
            o.Raw("\n        }"u8);
        }

        o.Raw(any ? "\n      ],\n      \"positions\": ["u8 : "],\n      \"positions\": ["u8);
        any = false;
        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            if (engine.Accounts.Size(id, mi) == 0)
            {
                continue;
            }

            PositionFigures p = PositionFigures.Of(engine, id, mi, _liquidationPrices);
            o.Raw(any ? ",\n        {\n          \"market\": "u8 : "\n        {\n          \"market\": "u8);
            any = true;
            o.Raw(_marketNames[mi]);
            o.Raw(",\n          \"size\": "u8);
            o.Amount(p.Size, engine.Markets[mi].BaseQuantumDecimals, nested: true);
            o.Raw(",\n          \"entryPrice\": "u8);
            o.Amount(p.EntryPrice, Precision.PriceDecimals, nested: true);
            o.Raw(",\n          \"indexPrice\": "u8);
            o.Amount(p.IndexPrice, Precision.PriceDecimals, nested: true);
            o.Raw(",\n          \"unrealizedPnl\": "u8);
            o.Amount(p.UnrealizedPnl, V, nested: true);
            o.Raw(",\n          \"maintenanceRequirement\": "u8);
            o.Amount(p.MaintenanceRequirement, V, nested: true);
            o.Raw(",\n          \"initialMarginFraction\": "u8);
            o.Amount(p.InitialMarginFraction, 6, nested: true);
            o.Raw(",\n          \"liquidationPrice\": "u8);
            o.Amount(p.LiquidationPrice, Precision.PriceDecimals, nested: true);
            o.Raw("\n        }"u8);
        }

        o.Raw(any ? "\n      ],\n      \"collateralValue\": "u8 : "],\n      \"collateralValue\": "u8);
        o.Amount(h.CollateralValue, V, nested: false);
        o.Raw(",\n      \"debtValue\": "u8);
        o.Amount(h.DebtValue, V, nested: false);
        o.Raw(",\n      \"initialWeightedCollateral\": "u8);
        o.Amount(h.InitialCollateral, V, nested: false);
        o.Raw(",\n      \"initialWeightedLiabilities\": "u8);
        o.Amount(h.InitialLiabilities, V, nested: false);
        o.Raw(",\n      \"maintenanceWeightedCollateral\": "u8);
        o.Amount(h.MaintenanceCollateral, V, nested: false);
        o.Raw(",\n      \"maintenanceWeightedLiabilities\": "u8);
        o.Amount(h.MaintenanceLiabilities, V, nested: false);
        o.Raw(",\n      \"initialHealth\": "u8);
        o.Amount(h.InitialHealth, V, nested: false);
        o.Raw(",\n      \"maintenanceHealth\": "u8);
        o.Amount(h.MaintenanceHealth, V, nested: false);
        o.Raw(",\n      \"freeCollateral\": "u8);
        o.Amount(h.FreeCollateral, V, nested: false);
        o.Raw(",\n      \"equity\": "u8);
        o.Amount(h.Equity, V, nested: false);
        o.Raw(",\n      \"healthFactor\": "u8);
        o.Amount(h.HealthFactorWad, 18, nested: false);
        o.Raw(h.IsLiquidatable ? ",\n      \"liquidatable\": true\n    }"u8 : ",\n      \"liquidatable\": false\n    }"u8);
    }

    private static byte[] Quoted(string symbol)
    {
        ReadOnlySpan<byte> e = JsonEncodedText.Encode(symbol).EncodedUtf8Bytes;
        var q = new byte[e.Length + 2];
        q[0] = q[^1] = (byte)'"';
        e.CopyTo(q.AsSpan(1));
        return q;
    }

    /// <summary>A span being filled, large enough for one subaccount.</summary>
    private ref struct Out(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Pos;

        public void Raw(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Pos..]);
            Pos += bytes.Length;
        }

        public void Hex(ulong value, int digits)
        {
            for (int i = digits - 1; i >= 0; i--)
            {
                _buffer[Pos + i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
                value >>= 4;
            }

            Pos += digits;
        }

        public void Digits(ulong value)
        {
            value.TryFormat(_buffer[Pos..], out int n, default, CultureInfo.InvariantCulture);
            Pos += n;
        }

        // {"value": decimal string, "raw": integer string} laid out as the writer lays it out inside a
        // balance or position line (nested) or at the subaccount's level, or null.
        public void Amount(Int128? raw, int decimals, bool nested)
        {
            if (raw is not { } x)
            {
                Raw("null"u8);
                return;
            }

            Raw(nested ? "{\n            \"value\": \""u8 : "{\n        \"value\": \""u8);
            bool negative = x < 0;
            Span<byte> digits = stackalloc byte[48];
            int n;
            if (x >= -long.MaxValue && x <= long.MaxValue)
            {
                ulong abs = (ulong)System.Math.Abs((long)x);
                abs.TryFormat(digits, out n, default, CultureInfo.InvariantCulture);
                Decimal(digits[..n], negative, decimals);
            }
            else
            {
                Pos += DecimalString.FormatUtf8(x, decimals, _buffer[Pos..]);
                UInt128 abs = negative ? (UInt128)(-(x + 1)) + 1 : (UInt128)x;
                abs.TryFormat(digits, out n, default, CultureInfo.InvariantCulture);
            }

            Raw(nested ? "\",\n            \"raw\": \""u8 : "\",\n        \"raw\": \""u8);
            if (negative)
            {
                _buffer[Pos++] = (byte)'-';
            }

            Raw(digits[..n]);
            Raw(nested ? "\"\n          }"u8 : "\"\n      }"u8);
        }

        // As DecimalString.FormatUtf8: at least one whole digit, the fraction without trailing zeros.
        private void Decimal(scoped ReadOnlySpan<byte> digits, bool negative, int decimals)
        {
            int n = digits.Length;
            if (negative)
            {
                _buffer[Pos++] = (byte)'-';
            }

            int padding = System.Math.Max(0, decimals + 1 - n);
            int length = n + padding;
            int wholeLength = length - decimals;
            int fracEnd = length;
            while (fracEnd > wholeLength && (fracEnd - 1 < padding || digits[fracEnd - 1 - padding] == (byte)'0'))
            {
                fracEnd--;
            }

            for (int i = 0; i < fracEnd; i++)
            {
                if (i == wholeLength)
                {
                    _buffer[Pos++] = (byte)'.';
                }

                _buffer[Pos++] = i < padding ? (byte)'0' : digits[i - padding];
            }
        }
    }
}
