using System.Text;
using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

public class ActionCodecTests
{
    private static readonly Eip712Domain Domain = new(1);
    private static readonly byte[] Alice = Keccak256.Hash(Encoding.UTF8.GetBytes("alice"));

    [Fact]
    public void Every_core_action_type_is_in_the_schema()
    {
        // Every concrete EngineAction in Core is signed by someone (user, keeper, publisher or governance),
        // except the bridge's system actions, which only the node sequences from a vault chain: no signed
        // schema may exist for them, or a key could mint a bridged deposit.
        Type[] concrete = [.. typeof(EngineAction).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(EngineAction)) && !t.IsAbstract)];
        string[] core = [.. concrete.Where(t => !t.IsSubclassOf(typeof(SystemAction))).Select(t => t.Name).Order()];
        string[] system = [.. concrete.Where(t => t.IsSubclassOf(typeof(SystemAction))).Select(t => t.Name).Order()];
        Assert.Contains("PlaceOrder", core);
        Assert.Equal(["BridgedDeposit", "ForcedWithdrawal"], system);
        Assert.Equal(core, ActionTypes.All.Select(t => t.Name).Order());
        Assert.All(system, n => Assert.Null(ActionTypes.Find(n)));
        foreach (ActionType t in ActionTypes.All)
        {
            Assert.Equal(t.Name, t.ClrType.Name);
            Assert.Equal(new FieldSpec("nonce", FieldKind.Uint64, ulong.MaxValue), t.Fields[^1]);
        }
    }

    [Fact]
    public void Price_report_has_the_oracle_networks_schema() =>
        Assert.Equal("PriceReport(uint32 feed,int64 price,uint64 confidence,uint64 publishTime,uint64 nonce)", ActionTypes.Find("PriceReport")!.EncodedType);

    [Fact]
    public void Deposit_encodes_its_type_as_written_in_the_docs() =>
        Assert.Equal("Deposit(address owner,uint32 subaccount,uint32 asset,int64 amount,uint64 nonce)", ActionTypes.Find("Deposit")!.EncodedType);

    [Fact]
    public void Decodes_a_hand_written_deposit()
    {
        // Field names and values written by hand, signed over the digest of the same fields: the decoded record must match.
        var owner = Address.Parse("0x00000000000000000000000000000000000000aa");
        var want = new Deposit(Secp256k1.AddressOf(Alice), new AccountKey(owner, 3), 1, -5);
        byte[] sig = Secp256k1.Sign(ActionCodec.Digest(want, 9, Domain), Alice);
        string json = "{\"signature\":\"" + Hex.Of(sig) + "\",\"message\":{\"nonce\":\"9\",\"amount\":-5,\"asset\":1,\"subaccount\":3,\"owner\":\"0x00000000000000000000000000000000000000AA\"},\"type\":\"Deposit\"}";
        Assert.True(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out string code, out string msg), code + " " + msg);
        Assert.Equal(want, got.Action);
        Assert.Equal(9UL, got.Nonce);
        Assert.Equal(Secp256k1.AddressOf(Alice), got.Signer);
    }

    [Fact]
    public void Every_type_round_trips_through_json() =>
        Gen.Select(ActionGen.Words, ActionGen.Key).Sample(t =>
        {
            ((ActionType type, byte[] words), byte[] key) = t;
            EngineAction action = ActionGen.Build(type, words);
            ulong nonce = ActionGen.Nonce(type, words);
            Assert.Equal(words, ActionCodec.Words(type, action, nonce));
            string json = ActionCodec.Encode(action, nonce, key, Domain);
            Assert.True(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out string code, out string msg), $"{code} {msg} {json}");
            Address signer = Secp256k1.AddressOf(key);
            Assert.Equal(action with { Signer = signer }, got.Action);
            Assert.Equal(signer, got.Signer);
            Assert.Equal(nonce, got.Nonce);
            Assert.Equal(ActionCodec.Digest(action, nonce, Domain), got.Digest);
        }, iter: 300);

    [Fact]
    public void Changing_any_field_changes_the_signer_or_is_rejected() =>
        Gen.Select(ActionGen.Words, Gen.Int).Sample(t =>
        {
            ((ActionType type, byte[] words), int seed) = t;
            var rnd = new Random(seed);
            EngineAction action = ActionGen.Build(type, words);
            ulong nonce = ActionGen.Nonce(type, words);
            byte[] sig = Secp256k1.Sign(ActionCodec.Digest(action, nonce, Domain), Alice);
            int field = rnd.Next(type.Fields.Count);
            byte[] changed = (byte[])words.Clone();
            do
            {
                ActionGen.Fill(type.Fields[field], changed.AsSpan(field * 32, 32), rnd);
            }
            while (changed.AsSpan().SequenceEqual(words));

            string json = ActionCodec.Encode(ActionGen.Build(type, changed), ActionGen.Nonce(type, changed), sig);
            return !ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out _, out _)
                || got.Signer != Secp256k1.AddressOf(Alice);
        }, iter: 500);

    [Fact]
    public void Flipping_any_signature_bit_changes_the_signer_or_is_rejected() =>
        Gen.Select(ActionGen.Words, Gen.Int[0, (65 * 8) - 1]).Sample(t =>
        {
            ((ActionType type, byte[] words), int bit) = t;
            EngineAction action = ActionGen.Build(type, words);
            ulong nonce = ActionGen.Nonce(type, words);
            byte[] sig = Secp256k1.Sign(ActionCodec.Digest(action, nonce, Domain), Alice);
            sig[bit / 8] ^= (byte)(1 << (bit % 8));
            string json = ActionCodec.Encode(action, nonce, sig);
            return !ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out _, out _)
                || got.Signer != Secp256k1.AddressOf(Alice);
        }, iter: 500);

    [Fact]
    public void A_signature_for_another_chain_recovers_someone_else() =>
        Gen.Select(ActionGen.Words, Gen.Long[0, long.MaxValue]).Where(t => t.Item2 != Domain.ChainId).Sample(t =>
        {
            ((ActionType type, byte[] words), long chain) = t;
            EngineAction action = ActionGen.Build(type, words);
            string json = ActionCodec.Encode(action, ActionGen.Nonce(type, words), Alice, new Eip712Domain(chain));
            return !ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out _, out _)
                || got.Signer != Secp256k1.AddressOf(Alice);
        }, iter: 100);

    [Fact]
    public void High_s_is_rejected_with_its_own_code()
    {
        var deposit = new Deposit(default, new AccountKey(Address.Zero, 0), 0, 1);
        byte[] sig = Secp256k1.Sign(ActionCodec.Digest(deposit, 0, Domain), Alice);
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        Secp256k1Tests.Write(n - s, sig.AsSpan(32, 32));
        sig[64] ^= 1;
        Assert.False(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(ActionCodec.Encode(deposit, 0, sig)), Domain, out _, out string code, out _));
        Assert.Equal(CodecErrors.HighS, code);
    }

    public static TheoryData<string, string> BadInputs()
    {
        const string Sig = "\"0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c\"";
        const string Msg = "{\"owner\":\"0x00000000000000000000000000000000000000aa\",\"subaccount\":0,\"asset\":0,\"amount\":5,\"nonce\":1}";
        string Deposit(string message, string sig = Sig) => "{\"type\":\"Deposit\",\"message\":" + message + ",\"signature\":" + sig + "}";
        string Field(string name, string value) => Msg.Replace($"\"{name}\":" + (name == "owner" ? "\"0x00000000000000000000000000000000000000aa\"" : name == "amount" ? "5" : name == "nonce" ? "1" : "0"), $"\"{name}\":{value}");
        return new TheoryData<string, string>
        {
            { "", CodecErrors.MalformedJson },
            { "[]", CodecErrors.MalformedJson },
            { "{\"type\":\"Deposit\"", CodecErrors.MalformedJson },
            { Deposit(Msg) + "x", CodecErrors.MalformedJson },
            { Deposit(Msg) + "{}", CodecErrors.MalformedJson },
            { "{\"type\":\"Teleport\",\"message\":{},\"signature\":" + Sig + "}", CodecErrors.UnknownType },
            { "{\"type\":\"deposit\",\"message\":{},\"signature\":" + Sig + "}", CodecErrors.UnknownType },
            { "{\"type\":7,\"message\":{},\"signature\":" + Sig + "}", CodecErrors.WrongFieldType },
            { "{\"type\":\"Deposit\",\"signature\":" + Sig + "}", CodecErrors.MissingField },
            { "{\"type\":\"Deposit\",\"message\":" + Msg + "}", CodecErrors.MissingField },
            { "{\"type\":\"Deposit\",\"message\":" + Msg + ",\"signature\":" + Sig + ",\"extra\":1}", CodecErrors.UnknownField },
            { "{\"type\":\"Deposit\",\"type\":\"Deposit\",\"message\":" + Msg + ",\"signature\":" + Sig + "}", CodecErrors.DuplicateField },
            { "{\"type\":\"Deposit\",\"message\":[],\"signature\":" + Sig + "}", CodecErrors.WrongFieldType },
            { Deposit(Msg.Replace(",\"nonce\":1", string.Empty)), CodecErrors.MissingField },
            { Deposit(Msg.Replace("}", ",\"memo\":1}")), CodecErrors.UnknownField },
            { Deposit(Msg.Replace("}", ",\"nonce\":2}")), CodecErrors.DuplicateField },
            { Deposit(Field("amount", "1.5")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "1e3")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "true")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "\"12a\"")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "\"\"")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "9007199254740993")), CodecErrors.WrongFieldType },
            { Deposit(Field("amount", "\"9223372036854775808\"")), CodecErrors.OutOfRange },
            { Deposit(Field("amount", "\"-9223372036854775809\"")), CodecErrors.OutOfRange },
            { Deposit(Field("amount", "\"999999999999999999999999999999999999999999\"")), CodecErrors.OutOfRange },
            { Deposit(Field("asset", "2147483648")), CodecErrors.OutOfRange },
            { Deposit(Field("asset", "-1")), CodecErrors.OutOfRange },
            { Deposit(Field("subaccount", "4294967296")), CodecErrors.OutOfRange },
            { Deposit(Field("nonce", "\"18446744073709551616\"")), CodecErrors.OutOfRange },
            { Deposit(Field("owner", "\"0x1234\"")), CodecErrors.WrongFieldType },
            { Deposit(Field("owner", "\"0xzz000000000000000000000000000000000000aa\"")), CodecErrors.WrongFieldType },
            { Deposit(Field("owner", "12")), CodecErrors.WrongFieldType },
            { Deposit(Msg, "\"0x1234\""), CodecErrors.BadSignatureEncoding },
            { Deposit(Msg, "12"), CodecErrors.BadSignatureEncoding },
            { Deposit(Msg, Sig.Replace("1c\"", "1g\"")), CodecErrors.BadSignatureEncoding },
            { Deposit(Msg, Sig.Replace("1c\"", "1d\"")), CodecErrors.InvalidSignatureV },
            { Deposit(Msg, "\"0x" + new string('0', 64) + Sig[67..]), CodecErrors.InvalidSignatureR },
            { Deposit(Msg, Sig[..67] + new string('0', 64) + "1c\""), CodecErrors.InvalidSignatureS },
            { Deposit(Msg, Sig[..67] + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1c\""), CodecErrors.InvalidSignatureS },
            { Deposit(Msg, Sig[..67] + "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a11c\""), CodecErrors.HighS },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gets_a_stable_code(string json, string expected)
    {
        Assert.False(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? action, out string code, out string message));
        Assert.Null(action);
        Assert.Equal(expected, code);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Contains(code, CodecErrors.All);
    }

    [Fact]
    public void Small_integers_may_be_numbers_or_strings_and_large_ones_strings()
    {
        var deposit = new Deposit(default, new AccountKey(Address.Zero, 0), 0, (1L << 53) + 1);
        string json = ActionCodec.Encode(deposit, 1, Alice, Domain);
        Assert.Contains("\"amount\":\"9007199254740993\"", json);
        Assert.True(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json.Replace("\"nonce\":1", "\"nonce\":\"1\"")), Domain, out _, out _, out _));
    }
}
