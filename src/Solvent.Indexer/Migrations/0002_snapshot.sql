-- The indexer's own engine state (engine snapshot and every signer's next nonce, the node's snapshot image
-- layout) after a block it has committed, written in the same transaction as that block's rows, so a
-- restart restores it and re-executes only the blocks after it instead of the whole chain.

CREATE TABLE indexer_snapshot (
    id          int PRIMARY KEY CHECK (id = 1),
    height      bigint NOT NULL,
    state_root  bytea  NOT NULL,
    image       bytea  NOT NULL
);
