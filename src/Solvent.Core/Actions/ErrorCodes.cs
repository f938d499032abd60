using System.Text;

namespace Solvent.Core.Actions;

/// <summary>Stable wire names of <see cref="ErrorCode"/> ("INITIAL_HEALTH_VIOLATED").</summary>
public static class ErrorCodes
{
    private static readonly string[] Names = Build();

    /// <summary>Wire name of a code.</summary>
    public static string Name(ErrorCode code) => (int)code >= 0 && (int)code < Names.Length && Names[(int)code] is { } n ? n : code.ToString();

    private static string[] Build()
    {
        ErrorCode[] values = Enum.GetValues<ErrorCode>();
        int max = 0;
        foreach (ErrorCode v in values)
        {
            max = System.Math.Max(max, (int)v);
        }

        // Sized by the largest value, not the count: codes are appended in reserved ranges and may leave gaps.
        var names = new string[max + 1];
        foreach (ErrorCode v in values)
        {
            string n = v.ToString();
            var sb = new StringBuilder();
            for (int i = 0; i < n.Length; i++)
            {
                if (i > 0 && char.IsUpper(n[i]))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToUpperInvariant(n[i]));
            }

            names[(int)v] = sb.ToString();
        }

        return names;
    }
}
