namespace Solvent.Node.Replication;

/// <summary>How a node joins a replicated deployment: the NATS servers, its validator key and the timings.</summary>
public sealed record ReplicationOptions
{
    /// <summary>Comma-separated NATS URLs of the JetStream cluster (e.g. <c>nats://127.0.0.1:4222,nats://127.0.0.1:4223</c>).</summary>
    public required string NatsUrls { get; init; }

    /// <summary>The validator's 32-byte secp256k1 key, or null for a node that sequences and serves reads but never attests.</summary>
    public byte[]? ValidatorKey { get; init; }

    /// <summary>Where clients reach this node's API (told to clients of other nodes while this one leads).</summary>
    public string AdvertiseUrl { get; init; } = "";

    /// <summary>Whether this node may take the leader lease and sequence.</summary>
    public bool CanLead { get; init; } = true;

    /// <summary>How long a leader lease lives without renewal; it is renewed every quarter of it.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one publish of a block waits for the stream's acknowledgement before it is retried.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Servers each stream is stored on (3: a block survives the loss of any one server).</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Prefix of the stream, subject and bucket names, so several chains can share one NATS cluster.</summary>
    public string Prefix { get; init; } = "SOLVENT";

    /// <summary>
    /// Test hook: the leader publishes block <c>CorruptRootAt</c> with one byte of its state root flipped (its
    /// own log and attestation keep the true root), so tests can show validators refuse it. 0 = off.
    /// </summary>
    public long CorruptRootAt { get; init; }

    /// <summary>Stream holding every block, in height order (stream sequence = height).</summary>
    public string BlockStream => Prefix + "_BLOCKS";

    /// <summary>Subject blocks are published on.</summary>
    public string BlockSubject => Prefix.ToLowerInvariant() + ".blocks";

    /// <summary>Stream holding validators' attestations.</summary>
    public string AttestationStream => Prefix + "_ATTESTATIONS";

    /// <summary>Subject prefix of attestations (one subject per validator).</summary>
    public string AttestationSubject => Prefix.ToLowerInvariant() + ".attestations";

    /// <summary>Key-value bucket of the leader lease.</summary>
    public string LeaseBucket => Prefix.ToLowerInvariant() + "_leader";
}
