namespace Solvent.Core.Config;

/// <summary>A genesis file that does not describe a valid venue; <see cref="Errors"/> names every offending field.</summary>
public sealed class GenesisException(IReadOnlyList<string> errors)
    : Exception("invalid genesis:\n  " + string.Join("\n  ", errors))
{
    /// <summary>One line per problem: "path.to.field: what is wrong".</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
