namespace Solvent.Storage;

/// <summary>
/// Committed bytes of the block log were damaged (not a torn last append). Nothing on disk was changed;
/// <see cref="Offset"/> is where the damage starts and <see cref="IntactBlocks"/> how many blocks before
/// it read back intact, which is what <c>solvent repair</c> keeps.
/// </summary>
public sealed class LogCorruptionException(string path, long offset, long intactBlocks, string detail)
    : IOException($"{path}: {detail}; blocks 1–{intactBlocks} are intact. Nothing was changed on disk. See docs/node-api.md, \"Durability and a damaged block log\"")
{
    /// <summary>The damaged log file.</summary>
    public string Path { get; } = path;

    /// <summary>Byte offset of the first damaged record.</summary>
    public long Offset { get; } = offset;

    /// <summary>Blocks that read back intact before the damage.</summary>
    public long IntactBlocks { get; } = intactBlocks;
}
