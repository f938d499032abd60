using Solvent.Core;
using Solvent.Core.Eval;

namespace Solvent.Node.Views;

/// <summary>
/// One subaccount's report (balances, positions, health, liquidation prices) in the same shape as
/// <c>solvent eval</c>. Runs on the sequencer thread between blocks, where the engine is consistent.
/// </summary>
public static class AccountReports
{
    /// <summary>Builds the report of dense id <paramref name="id"/> (Core's eval report, so node and CLI agree).</summary>
    public static SubaccountReport Build(Engine engine, int id) => EvalReport.Subaccount(engine, id);
}
