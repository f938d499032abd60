using Solvent.Node.Ingress;
using Solvent.Storage;

namespace Solvent.Indexer;

/// <summary>A logged block with its actions decoded and their signatures recovered, or the first decoding error.</summary>
/// <param name="Block">The block as logged.</param>
/// <param name="Actions">The decoded actions, in order (null entries only when <paramref name="Error"/> is set).</param>
/// <param name="Error">The first action that does not verify, as "index: code: message", or null.</param>
public sealed record DecodedBlock(StoredBlock Block, DecodedAction?[] Actions, string? Error)
{
    /// <summary>Decodes every action of <paramref name="block"/> on the calling thread.</summary>
    public static DecodedBlock Of(StoredBlock block, IActionDecoder decoder)
    {
        var actions = new DecodedAction?[block.Actions.Count];
        for (int i = 0; i < actions.Length; i++)
        {
            if (!decoder.TryDecode(block.Actions[i], out actions[i], out string code, out string message))
            {
                return new DecodedBlock(block, actions, $"action {i} ({code}: {message})");
            }
        }

        return new DecodedBlock(block, actions, null);
    }
}
