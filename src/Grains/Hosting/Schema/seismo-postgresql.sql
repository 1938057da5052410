-- Seismo: its own tables in cluster mode (run log, test catalogue, webhook outbox).
--
-- Plain idempotent DDL: SchemaInstaller runs it inside a transaction that holds the
-- same advisory lock as the Orleans script, so silos starting together serialise
-- here; psql runs it as a docker-entrypoint-initdb.d file after postgresql.sql.

-- The durable run log: one row per acknowledged run, written in one transaction
-- with the catalogue rows of the tests it introduces.
CREATE TABLE IF NOT EXISTS seismo_runs
(
    run_guid   uuid        NOT NULL PRIMARY KEY,
    project_id uuid        NOT NULL,
    seq        bigint      NOT NULL,
    status     text        NOT NULL,
    branch     text        NULL,
    created_at timestamptz NOT NULL,
    summary    bytea       NOT NULL,
    results    bytea       NOT NULL,
    UNIQUE (project_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_seismo_runs_status ON seismo_runs (project_id, status, seq);
CREATE INDEX IF NOT EXISTS ix_seismo_runs_branch ON seismo_runs (project_id, branch, seq);

-- Raw uploads small enough to be kept with their run, written in the run's transaction.
CREATE TABLE IF NOT EXISTS seismo_archives
(
    run_guid   uuid  NOT NULL PRIMARY KEY,
    project_id uuid  NOT NULL,
    content    bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_seismo_archives_project ON seismo_archives (project_id);

CREATE TABLE IF NOT EXISTS seismo_tests
(
    project_id uuid        NOT NULL,
    key_hash   text        NOT NULL,
    test_key   text        NOT NULL,
    title      text        NOT NULL,
    full_title text        NULL,
    file_path  text        NULL,
    first_seen timestamptz NOT NULL,
    PRIMARY KEY (project_id, key_hash)
);

-- The webhook outbox: a delivery is queued in the write that acknowledges the
-- publish and stays pending until final.
CREATE TABLE IF NOT EXISTS seismo_webhook_deliveries
(
    id              bigserial   NOT NULL PRIMARY KEY,
    delivery_id     text        NOT NULL UNIQUE,
    webhook_id      uuid        NOT NULL,
    project_id      uuid        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    webhook_event   text        NOT NULL,
    seq             bigint      NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL,
    attempt_count   integer     NOT NULL DEFAULT 0,
    last_status     integer     NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NULL,
    completed_at    timestamptz NULL,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX IF NOT EXISTS ix_seismo_webhook_deliveries_pending ON seismo_webhook_deliveries (webhook_id, id) WHERE state = 'pending';

CREATE TABLE IF NOT EXISTS seismo_webhook_attempts
(
    delivery_id text        NOT NULL,
    attempt     integer     NOT NULL,
    started_at  timestamptz NOT NULL,
    latency_ms  bigint      NOT NULL,
    status_code integer     NULL,
    error       text        NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- Which silo delivers a webhook: one holder at a time, renewed while it works. A
-- lease that is not renewed (its silo died) expires and another silo takes over.
CREATE TABLE IF NOT EXISTS seismo_webhook_leases
(
    webhook_id uuid        NOT NULL PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
