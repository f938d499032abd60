using System.Text;
using Solvent.Core.Actions;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

/// <summary>The order-book actions as wallets sign them: field lists written out by hand, enum bounds, round trips.</summary>
public class BookActionTypesTests
{
    private static readonly Eip712Domain Domain = new(1);
    private static readonly byte[] Bob = Keccak256.Hash(Encoding.UTF8.GetBytes("bob"));

    [Theory]
    [InlineData("PlaceBookOrder", "PlaceBookOrder(address owner,uint32 subaccount,uint32 market,bool buy,int64 price,int64 size,uint8 orderType,uint8 timeInForce,uint64 expiryBlock,bool reduceOnly,uint64 nonce)")]
    [InlineData("CancelOrder", "CancelOrder(address owner,uint32 subaccount,uint32 market,uint64 orderId,uint64 nonce)")]
    [InlineData("CancelAllOrders", "CancelAllOrders(address owner,uint32 subaccount,uint32 market,uint64 nonce)")]
    [InlineData("ReplaceOrder", "ReplaceOrder(address owner,uint32 subaccount,uint32 market,uint64 orderId,int64 price,int64 size,uint64 nonce)")]
    public void Book_actions_have_the_documented_schema(string name, string encoded) =>
        Assert.Equal(encoded, ActionTypes.Find(name)!.EncodedType);

    public static TheoryData<EngineAction> Actions()
    {
        var k = new AccountKey(Address.Parse("0x00000000000000000000000000000000000000bb"), 7);
        return new TheoryData<EngineAction>
        {
            new PlaceBookOrder(default, k, 1, true, 6_000_000_000_000, 25_000, OrderType.PostOnly, TimeInForce.GoodTilBlock, 42, false),
            new PlaceBookOrder(default, k, 0, false, 1, 1, OrderType.FillOrKill, TimeInForce.Ioc, 0, true),
            new PlaceBookOrder(default, k, 0, false, -5, 0, OrderType.Market, TimeInForce.Gtc, long.MaxValue, false),
            new CancelOrder(default, k, 2, long.MaxValue),
            new CancelAllOrders(default, k, 3),
            new ReplaceOrder(default, k, 1, 9, 100, -1),
        };
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Book_actions_round_trip_with_their_signer(EngineAction action)
    {
        string json = ActionCodec.Encode(action, 5, Bob, Domain);
        Assert.True(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json), Domain, out SignedAction? got, out string code, out string msg), $"{code} {msg} {json}");
        Address signer = Secp256k1.AddressOf(Bob);
        Assert.Equal(action with { Signer = signer }, got.Action);
        Assert.Equal(5UL, got.Nonce);
    }

    [Theory]
    [InlineData("\"orderType\":3", "\"orderType\":4")]
    [InlineData("\"timeInForce\":1", "\"timeInForce\":3")]
    [InlineData("\"expiryBlock\":0", "\"expiryBlock\":\"9223372036854775808\"")]
    [InlineData("\"buy\":false", "\"buy\":0")]
    public void Out_of_bounds_enums_and_ranges_are_refused(string from, string to)
    {
        var k = new AccountKey(Address.Parse("0x00000000000000000000000000000000000000bb"), 0);
        string json = ActionCodec.Encode(new PlaceBookOrder(default, k, 0, false, 1, 1, OrderType.FillOrKill, TimeInForce.Ioc, 0, false), 1, Bob, Domain);
        Assert.Contains(from, json);
        Assert.False(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(json.Replace(from, to)), Domain, out _, out string code, out _));
        Assert.True(code is CodecErrors.OutOfRange or CodecErrors.WrongFieldType, code);
    }
}
