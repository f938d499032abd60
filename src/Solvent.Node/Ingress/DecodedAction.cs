using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Node.Ingress;

/// <summary>An action whose signature checked out: the engine action, who signed it, and the signer's nonce.</summary>
public sealed record DecodedAction(EngineAction Action, Address Signer, ulong Nonce);
