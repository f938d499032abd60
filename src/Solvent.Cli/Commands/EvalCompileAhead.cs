using System.Reflection;
using System.Runtime.CompilerServices;
using Solvent.Core;
using Solvent.Core.State;

namespace Solvent.Cli.Commands;

/// <summary>
/// Compiles the code an eval runs, in the order it runs it, on a background thread while the main
/// thread reads the request. The CLI compiles each method fully optimized on first call (no tiering,
/// so hot loops never start in unoptimized code), which costs ~0.2 s of a core on a request of any
/// size; done ahead on another core, most of it is off the main thread's path. A method the main
/// thread reaches first is compiled there as usual (the runtime compiles each method once).
/// </summary>
internal static class EvalCompileAhead
{
    // Type and method names (every overload) taken from what an eval compiles after it starts.
    private static readonly (string Type, string[] Methods)[] Order =
    [
        ("Solvent.Core.Eval.EvalInput", ["Parse", "Present", "ReadGenesis", "ReadSubaccounts"]),
        ("Solvent.Core.Config.GenesisLoader", ["FromElement", "ReadAsset"]),
        ("Solvent.Core.Config.JsonFieldReader", ["Get", "String", "Integer", "Bool", "Decimal", "Ray"]),
        ("Solvent.Core.Math.DecimalString", ["TryParse", "TryParseLong", "Format", "FormatUtf8"]),
        ("Solvent.Core.Config.OracleGenesisReader", ["ReadOracles", "ReadControllers"]),
        ("Solvent.Core.Config.AssetRiskParams", ["Validate"]),
        ("Solvent.Core.Config.HealthModelRules", ["WeightGapProblem"]),
        ("Solvent.Core.Config.Genesis", [".ctor"]),
        ("Solvent.Core.State.Address", ["TryParse", "GetHashCode"]),
        ("Solvent.Core.Eval.EvalSubaccountReader", [".ctor", "TryRead", "TryAddress", "TryHex", "TryNumber", "TryBalances", "TryPositions", "Find", "Upper", "AsciiUpper", "TryDecimal"]),
        ("Solvent.Core.Eval.EvalSubaccountTable", [".ctor", "AddBalance", "AddPosition", "EndRow", "DiscardRow", "From"]),
        ("Solvent.Core.Eval.EvalInput", ["Build", "Import"]),
        ("Solvent.Core.Engine", [".ctor", "InitOracles", "ImportPrice", "ImportBalance", "ImportPosition", "HealthOf", "MarkDirty"]),
        ("Solvent.Core.State.AccountBook", [".ctor", "Create", "EnsureCapacity"]),
        ("Solvent.Core.State.AccountIdSet", [".ctor", "Add"]),
        ("Solvent.Core.State.AssetPool", [".ctor", "AmountOf", "CloseBooks", "ScaledToDebt", "ScaledToSupply", "ValueOf", "ValueAt"]),
        ("Solvent.Core.Risk.InitialHealthEstimate", [".ctor"]),
        ("Solvent.Core.Lending.BalanceChange", ["Credit", "Debit"]),
        ("Solvent.Core.Math.RayIndex", [".ctor", "Apply", "Estimate", "Scale"]),
        ("Solvent.Core.Math.U256", ["Compare", "DivRem", "GetBit", "Multiply"]),
        ("Solvent.Core.Math.FullMath", ["Div"]),
        ("Solvent.Core.Risk.HealthCalculator", ["Evaluate"]),
        ("Solvent.Core.Risk.PerpHealth", ["Add"]),
        ("Solvent.Core.Risk.Health", ["get_FreeCollateral", "get_HealthFactorWad", "get_IsLiquidatable"]),
        ("Solvent.Core.Eval.EvalReport", ["TryHealth", "Parameters"]),
        ("Solvent.Core.Eval.BalanceFigures", ["Of"]),
        ("Solvent.Core.Eval.PositionFigures", ["Of"]),
        ("Solvent.Core.Eval.EvalReportWriter", [".ctor", "Quoted", "WriteHead", "WriteSubaccounts", "WriteSubaccount", "WriteTail"]),
        ("Solvent.Core.Eval.EvalReportWriter+Out", ["Raw", "Hex", "Digits", "Amount", "Decimal"]),
        ("Solvent.Core.Eval.EvalReportJson", ["WriteStart", "WriteEnd", "WriteAmount"]),
    ];

    /// <summary>Starts compiling on a background thread; returns at once.</summary>
    public static void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "eval compile-ahead" };
        thread.Start();
    }

    private static void Run()
    {
        Assembly core = typeof(Engine).Assembly;
        const BindingFlags All = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach ((string typeName, string[] names) in Order)
        {
            if (core.GetType(typeName) is not { } type)
            {
                continue;
            }

            foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (names.Contains(m.Name))
                {
                    Prepare(m);
                }
            }
        }

        // Generic instantiations over the engine's types are compiled by using them once.
        var ids = new Dictionary<AccountKey, int>(4);
        ids.TryAdd(new AccountKey(new Address(1, 2, 3), 4), 5);
        _ = ids.TryGetValue(default, out _);
    }

    private static void Prepare(MethodBase m)
    {
        if (m.IsAbstract || m.ContainsGenericParameters)
        {
            return;
        }

        try
        {
            RuntimeHelpers.PrepareMethod(m.MethodHandle);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or BadImageFormatException or InvalidOperationException)
        {
            // Compiled on first call instead.
        }
    }
}
