namespace Solvent.Node;

/// <summary>Stable error codes the node itself reports (engine rejections use Core's codes).</summary>
public static class NodeErrors
{
    /// <summary>The nonce was already used by this signer.</summary>
    public const string NonceReplayed = "NONCE_REPLAYED";

    /// <summary>The nonce is ahead of the signer's next nonce.</summary>
    public const string NonceGap = "NONCE_GAP";

    /// <summary>The signature recovers another address than the request's X-Solvent-Signer header claims.</summary>
    public const string SignerMismatch = "SIGNER_MISMATCH";

    /// <summary>The request body is larger than the configured limit.</summary>
    public const string BodyTooLarge = "BODY_TOO_LARGE";

    /// <summary>The request body is not valid JSON or has the wrong shape.</summary>
    public const string MalformedJson = "MALFORMED_JSON";

    /// <summary>A path or query value is malformed (address, number).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>No such account, block or resource.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The node cannot take actions right now (shutting down or storage failed).</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The ingress queue is full; retry later.</summary>
    public const string Overloaded = "OVERLOADED";

    /// <summary>A stream connection asked for more topics than one connection may hold.</summary>
    public const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";

    /// <summary>The signer has no account and the action does not create one with a deposit.</summary>
    public const string UnknownSigner = "UNKNOWN_SIGNER";

    /// <summary>The signer sent more actions than its rate allows; retry after the Retry-After header.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The sequencer stopped on a fault: state-dependent reads and all actions are refused until a restart.</summary>
    public const string SequencerFaulted = "SEQUENCER_FAULTED";

    /// <summary>An eth_signTypedData_v4 body names another EIP-712 domain than the node's.</summary>
    public const string WrongDomain = "WRONG_DOMAIN";

    /// <summary>This replicated node does not sequence now; send actions to the leader named in the message (HTTP 421).</summary>
    public const string NotLeader = "NOT_LEADER";

    /// <summary>The block stream cannot store a block on a majority of its servers; nothing is acknowledged until it can.</summary>
    public const string ReplicationUnavailable = "REPLICATION_UNAVAILABLE";

    /// <summary>A batch of actions holds none.</summary>
    public const string BatchEmpty = "BATCH_EMPTY";

    /// <summary>A batch of actions holds more than the node's limit.</summary>
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
}
