-- Solvent history indexer, schema version 1. Amounts are quantums (bigint), indexes and rates are the
-- engine's fixed-point integers (numeric), times are block times in Unix seconds. Every row is keyed by
-- the block height and the position of its action (idx; -1 for the end-of-block phase) and event (ev),
-- so a block's rows are a pure function of the block and re-indexing can never duplicate them.

CREATE TABLE indexer_state (
    id            int PRIMARY KEY CHECK (id = 1),
    genesis_hash  bytea  NOT NULL,
    last_height   bigint NOT NULL,
    last_root     bytea  NOT NULL
);

CREATE TABLE blocks (
    height      bigint PRIMARY KEY,
    time        bigint NOT NULL,
    state_root  bytea  NOT NULL,
    actions     int    NOT NULL,
    rejected    int    NOT NULL
);
CREATE INDEX blocks_time ON blocks (time);

CREATE TABLE actions (
    height   bigint NOT NULL,
    idx      int    NOT NULL,
    time     bigint NOT NULL,
    signer   bytea  NOT NULL,
    nonce    bigint NOT NULL,
    kind     text   NOT NULL,
    ok       boolean NOT NULL,
    code     text   NOT NULL,
    message  text   NOT NULL,
    PRIMARY KEY (height, idx)
);
CREATE INDEX actions_signer ON actions (signer, height DESC, idx DESC);

-- One row per (event, account it touches); role 0 = the account acted on, 1 = the counterparty.
CREATE TABLE account_events (
    height   bigint NOT NULL,
    idx      int    NOT NULL,
    ev       int    NOT NULL,
    role     smallint NOT NULL,
    time     bigint NOT NULL,
    owner    bytea  NOT NULL,
    number   bigint NOT NULL,
    kind     text   NOT NULL,
    asset    int    NOT NULL,
    amount   bigint NOT NULL,
    PRIMARY KEY (height, idx, ev, role)
);
CREATE INDEX account_events_account ON account_events (owner, number, height DESC, idx DESC, ev DESC, role DESC);
CREATE INDEX account_events_owner ON account_events (owner, height DESC, idx DESC, ev DESC, role DESC);

-- Scaled balances (and their amounts at the block's indexes) of every account an event touched, after the block.
CREATE TABLE balances (
    height   bigint NOT NULL,
    owner    bytea  NOT NULL,
    number   bigint NOT NULL,
    asset    int    NOT NULL,
    scaled   bigint NOT NULL,
    amount   bigint NOT NULL,
    price    bigint NOT NULL,
    PRIMARY KEY (owner, number, asset, height)
);

-- Perp positions of every account an event touched, after the block, with the market's mark price.
CREATE TABLE positions (
    height      bigint NOT NULL,
    owner       bytea  NOT NULL,
    number      bigint NOT NULL,
    market      int    NOT NULL,
    size        bigint NOT NULL,
    quote       bigint NOT NULL,
    mark_price  bigint NOT NULL,
    PRIMARY KEY (owner, number, market, height)
);

CREATE TABLE fills (
    height    bigint NOT NULL,
    idx       int    NOT NULL,
    ev        int    NOT NULL,
    time      bigint NOT NULL,
    owner     bytea  NOT NULL,
    number    bigint NOT NULL,
    market    int    NOT NULL,
    size      bigint NOT NULL,
    quote     bigint NOT NULL,
    fee       bigint NOT NULL,
    new_size  bigint NOT NULL,
    PRIMARY KEY (height, idx, ev)
);
CREATE INDEX fills_market_time ON fills (market, time);
CREATE INDEX fills_account ON fills (owner, number, height DESC);

-- kind: 'lending' (asset = debt asset, collateral_asset, amount = repaid, value = seized, penalty = the bonus within it),
-- 'perp' (asset = market, amount = size, value = notional, penalty), 'backstop' (asset = market, amount = size,
-- value = quote, bad_debt = shortfall, to_insurance = paid by the fund).
CREATE TABLE liquidations (
    height            bigint NOT NULL,
    idx               int    NOT NULL,
    ev                int    NOT NULL,
    time              bigint NOT NULL,
    kind              text   NOT NULL,
    liquidator_owner  bytea,
    liquidator_number bigint,
    target_owner      bytea  NOT NULL,
    target_number     bigint NOT NULL,
    asset             int    NOT NULL,
    collateral_asset  int,
    amount            bigint NOT NULL,
    value             bigint NOT NULL,
    penalty           bigint NOT NULL,
    to_liquidator     bigint NOT NULL,
    to_insurance      bigint NOT NULL,
    bad_debt          bigint NOT NULL,
    PRIMARY KEY (height, idx, ev)
);
CREATE INDEX liquidations_time ON liquidations (time);
CREATE INDEX liquidations_asset_time ON liquidations (asset, time);

-- Bad debt, write-offs, insurance payouts, socialized losses and auto-deleveraging.
CREATE TABLE losses (
    height   bigint NOT NULL,
    idx      int    NOT NULL,
    ev       int    NOT NULL,
    time     bigint NOT NULL,
    kind     text   NOT NULL,
    owner    bytea,
    number   bigint,
    asset    int    NOT NULL,
    amount   bigint NOT NULL,
    detail   numeric,
    PRIMARY KEY (height, idx, ev)
);
CREATE INDEX losses_time ON losses (time);

-- A market's cumulative funding index whenever a block moved it.
CREATE TABLE funding (
    market         int    NOT NULL,
    height         bigint NOT NULL,
    time           bigint NOT NULL,
    interval_start bigint NOT NULL,
    funding_index  numeric NOT NULL,
    rate           bigint NOT NULL,
    PRIMARY KEY (market, height)
);
CREATE INDEX funding_time ON funding (market, time);

CREATE TABLE funding_payments (
    height  bigint NOT NULL,
    idx     int    NOT NULL,
    ev      int    NOT NULL,
    time    bigint NOT NULL,
    owner   bytea  NOT NULL,
    number  bigint NOT NULL,
    market  int    NOT NULL,
    amount  bigint NOT NULL,
    PRIMARY KEY (height, idx, ev)
);
CREATE INDEX funding_payments_market_time ON funding_payments (market, time);

-- Oracle aggregates: kind 'price' (old -> new), 'clamped' (aggregate -> applied), 'paused', 'resumed', 'quorum_missing', 'volatility'.
CREATE TABLE oracle_prices (
    height   bigint NOT NULL,
    idx      int    NOT NULL,
    ev       int    NOT NULL,
    time     bigint NOT NULL,
    asset    int    NOT NULL,
    kind     text   NOT NULL,
    old_value bigint NOT NULL,
    value    bigint NOT NULL,
    PRIMARY KEY (height, idx, ev)
);
CREATE INDEX oracle_prices_asset_time ON oracle_prices (asset, time);

-- A pool's supply and borrow indexes and rates whenever a block moved them.
CREATE TABLE interest_indexes (
    asset         int    NOT NULL,
    height        bigint NOT NULL,
    time          bigint NOT NULL,
    supply_index  numeric NOT NULL,
    borrow_index  numeric NOT NULL,
    supply_rate   numeric NOT NULL,
    borrow_rate   numeric NOT NULL,
    PRIMARY KEY (asset, height)
);

-- Insurance fund balances whenever a block changed them: kind 'asset' (lending pool) or 'market' (perp market).
CREATE TABLE insurance (
    kind     text   NOT NULL,
    id       int    NOT NULL,
    height   bigint NOT NULL,
    time     bigint NOT NULL,
    balance  bigint NOT NULL,
    PRIMARY KEY (kind, id, height)
);

-- One-minute candles from fills: price = quote quantums per whole base unit.
CREATE TABLE candles (
    market        int    NOT NULL,
    minute        bigint NOT NULL,
    open          bigint NOT NULL,
    high          bigint NOT NULL,
    low           bigint NOT NULL,
    close         bigint NOT NULL,
    volume_base   bigint NOT NULL,
    volume_quote  bigint NOT NULL,
    trades        int    NOT NULL,
    PRIMARY KEY (market, minute)
);
