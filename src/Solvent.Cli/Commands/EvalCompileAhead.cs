using System.Reflection;
using System.Runtime.CompilerServices;
using Solvent.Core;
using Solvent.Core.Eval;

namespace Solvent.Cli.Commands;

/// <summary>
/// Compiles the code that reads subaccounts, builds the book and writes the report on a background
/// thread while the main thread reads the request and its genesis. The CLI compiles every method fully
/// optimized on first call (no tiering: hot loops must not start in unoptimized code), which costs
/// ~0.2 s on a request of any size; done ahead on another core, little of it is left on the main path.
/// </summary>
internal static class EvalCompileAhead
{
    // Whole types whose code every eval runs (in the order it runs), then single methods of larger types.
    private static readonly string[] Types =
    [
        "Solvent.Core.Eval.EvalSubaccountReader",
        "Solvent.Core.Eval.EvalSubaccountTable",
        "Solvent.Core.State.Address",
        "Solvent.Core.State.AccountKey",
        "Solvent.Core.State.AccountBook",
        "Solvent.Core.State.AccountIdSet",
        "Solvent.Core.State.AssetPool",
        "Solvent.Core.Lending.BalanceChange",
        "Solvent.Core.Math.RayIndex",
        "Solvent.Core.Math.U256",
        "Solvent.Core.Math.FullMath",
        "Solvent.Core.Risk.Health",
        "Solvent.Core.Risk.HealthCalculator",
        "Solvent.Core.Risk.PerpHealth",
        "Solvent.Core.Eval.EvalBook",
        "Solvent.Core.Eval.BalanceFigures",
        "Solvent.Core.Eval.PositionFigures",
        "Solvent.Core.Eval.EvalReportWriter",
        "Solvent.Core.Math.DecimalString",
    ];

    private static readonly (Type Type, string Name)[] Methods =
    [
        (typeof(EvalInput), nameof(EvalInput.Build)),
        (typeof(Engine), nameof(Engine.ImportBalance)),
        (typeof(Engine), nameof(Engine.ImportPosition)),
        (typeof(Engine), "MarkDirty"),
        (typeof(Engine), "Settled"),
        (typeof(Engine), nameof(Engine.HealthOf)),
        (typeof(EvalReport), nameof(EvalReport.TryHealth)),
        (typeof(EvalReportJson), nameof(EvalReportJson.WriteStart)),
        (typeof(EvalReportJson), nameof(EvalReportJson.WriteEnd)),
        (typeof(EvalReport), nameof(EvalReport.Parameters)),
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
        foreach (string name in Types)
        {
            if (core.GetType(name) is { } t)
            {
                Prepare(t, All);
            }
        }

        foreach ((Type type, string name) in Methods)
        {
            foreach (MethodInfo m in type.GetMethods(All))
            {
                if (m.Name == name)
                {
                    Prepare(m);
                }
            }
        }
    }

    private static void Prepare(Type t, BindingFlags flags)
    {
        foreach (MethodBase m in t.GetMethods(flags).Cast<MethodBase>().Concat(t.GetConstructors(flags)))
        {
            Prepare(m);
        }

        foreach (Type nested in t.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public))
        {
            Prepare(nested, flags);
        }
    }

    private static void Prepare(MethodBase m)
    {
        if (m.IsAbstract || m.ContainsGenericParameters || m.DeclaringType?.ContainsGenericParameters == true)
        {
            return;
        }

        try
        {
            RuntimeHelpers.PrepareMethod(m.MethodHandle);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or BadImageFormatException or InvalidOperationException)
        {
            // A method that cannot be compiled ahead is compiled on first call as usual.
        }
    }
}
