using Solvent.Core.Risk;

namespace Solvent.Core.Eval;

/// <summary>
/// An eval request's engine and each subaccount's health at its prices, evaluated once when the
/// request is built (to refuse out-of-range figures) and reused by the report.
/// </summary>
/// <param name="Engine">The engine holding the request's prices, balances and positions.</param>
/// <param name="Health">Health by account id (protocol accounts left default).</param>
public sealed record EvalBook(Engine Engine, Health[] Health);
