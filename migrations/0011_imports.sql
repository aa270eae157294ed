-- Imports: each run is recorded with its progress (polled by the web page) and its report;
-- a source's field mapping is kept so the next file from it needs no choices.
CREATE TYPE import_status AS ENUM ('running', 'committed', 'rejected', 'dry_run', 'failed');

CREATE TABLE imports (
    id           uuid PRIMARY KEY,
    file_name    text NOT NULL,
    file_sha256  text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    source       text,
    status       import_status NOT NULL DEFAULT 'running',
    phase        text NOT NULL DEFAULT 'reading',
    done         bigint NOT NULL DEFAULT 0,
    total        bigint,
    report       jsonb,
    error        text,
    created_by   bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX imports_created_at_idx ON imports (created_at DESC);

CREATE TABLE import_mappings (
    source     text PRIMARY KEY CHECK (length(source) BETWEEN 1 AND 200),
    mapping    jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
