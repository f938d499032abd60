namespace Solvent.Core.Config;

/// <summary>The fixed identity of an asset in genesis; its governable parameters are in <see cref="AssetRiskParams"/>.</summary>
/// <param name="Id">Dense index, the asset's position in genesis.</param>
/// <param name="Symbol">Ticker, unique.</param>
/// <param name="Decimals">Atomic resolution of the token (ERC-20 decimals).</param>
/// <param name="QuantumDecimals">Decimals of the engine's quantum (≤ Decimals); balances are integers of 10^-QuantumDecimals.</param>
/// <param name="OracleFeed">Name of the price feed.</param>
/// <param name="InitialPrice">Starting oracle price, USD × 1e8 per whole unit.</param>
public sealed record AssetConfig(int Id, string Symbol, int Decimals, int QuantumDecimals, string OracleFeed, long InitialPrice);
