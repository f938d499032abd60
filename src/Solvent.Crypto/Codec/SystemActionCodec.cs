using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// The log's form of the actions a node sequences from vault chains (<see cref="BridgedDeposit"/>,
/// <see cref="ForcedWithdrawal"/>): <c>{"system":"BridgedDeposit",…}</c>, big integers as decimal strings.
/// Signed ingress never decodes this form (its decoder refuses the <c>system</c> member), so only the node's
/// bridge can put one in a block; a replaying node or validator decodes it here and checks it against the chain.
/// </summary>
public static class SystemActionCodec
{
    /// <summary>Whether <paramref name="json"/> is a system action (starts with the <c>system</c> member).</summary>
    public static bool IsSystem(ReadOnlySpan<byte> json)
    {
        ReadOnlySpan<byte> prefix = "{\"system\":"u8;
        return json.StartsWith(prefix);
    }

    /// <summary>The canonical bytes of a system action.</summary>
    public static byte[] Encode(SystemAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            switch (action)
            {
                case BridgedDeposit d:
                    w.WriteString("system", "BridgedDeposit");
                    w.WriteString("chainId", d.ChainId.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("txHash", "0x" + Convert.ToHexStringLower(d.TxHash));
                    w.WriteString("logIndex", d.LogIndex.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("depositId", d.DepositId.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("owner", d.Owner.ToString());
                    w.WriteString("subaccount", d.Subaccount.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("token", d.Token.ToString());
                    w.WriteString("amount", d.Amount.ToString(CultureInfo.InvariantCulture));
                    break;
                case ForcedWithdrawal f:
                    w.WriteString("system", "ForcedWithdrawal");
                    w.WriteString("chainId", f.ChainId.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("requestId", f.RequestId.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("owner", f.Owner.ToString());
                    w.WriteString("subaccount", f.Subaccount.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("token", f.Token.ToString());
                    w.WriteString("amount", f.Amount.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"no log form for {action.GetType().Name}", nameof(action));
            }

            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    /// <summary>Decodes a system action; false with a message when malformed. Never throws.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SystemAction? action, out string error)
    {
        action = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json.ToArray());
            JsonElement r = doc.RootElement;
            string kind = r.GetProperty("system").GetString() ?? "";
            switch (kind)
            {
                case "BridgedDeposit":
                    byte[] tx = Convert.FromHexString(Str(r, "txHash").AsSpan(2));
                    action = new BridgedDeposit(
                        long.Parse(Str(r, "chainId"), CultureInfo.InvariantCulture), tx, long.Parse(Str(r, "logIndex"), CultureInfo.InvariantCulture),
                        ulong.Parse(Str(r, "depositId"), CultureInfo.InvariantCulture), Address.Parse(Str(r, "owner")),
                        uint.Parse(Str(r, "subaccount"), CultureInfo.InvariantCulture), Address.Parse(Str(r, "token")),
                        UInt128.Parse(Str(r, "amount"), CultureInfo.InvariantCulture));
                    break;
                case "ForcedWithdrawal":
                    action = new ForcedWithdrawal(
                        long.Parse(Str(r, "chainId"), CultureInfo.InvariantCulture), ulong.Parse(Str(r, "requestId"), CultureInfo.InvariantCulture),
                        Address.Parse(Str(r, "owner")), uint.Parse(Str(r, "subaccount"), CultureInfo.InvariantCulture),
                        Address.Parse(Str(r, "token")), UInt128.Parse(Str(r, "amount"), CultureInfo.InvariantCulture));
                    break;
                default:
                    error = $"unknown system action '{kind}'";
                    return false;
            }

            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or OverflowException or InvalidOperationException)
        {
            error = "malformed system action: " + e.Message;
            return false;
        }
    }

    private static string Str(JsonElement r, string name) => r.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' must be a string");
}
