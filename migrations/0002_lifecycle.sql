-- The lifecycle: append-only events, documents, filings, alerts, and the register's history.

CREATE TYPE soil_stage AS ENUM (
    'unknown', 'suspected', 'surveying', 'phase2_needed', 'cleared', 'contaminated',
    'control_needed', 'listed', 'plan_filed', 'remediating', 'works_finished',
    'effect_evaluated', 'delisted', 'post_management');

-- The derived state, kept on the parcel for filters and the map; the events are the record.
ALTER TABLE parcels
    ADD COLUMN stage soil_stage NOT NULL DEFAULT 'unknown',
    ADD COLUMN land_right_initial land_right NOT NULL DEFAULT 'in_use',
    ADD COLUMN survey_completed_on date,
    ADD COLUMN indicators_fixed_on date,
    ADD COLUMN supplied_on date,
    ADD COLUMN construction_started_on date;
UPDATE parcels SET land_right_initial = land_right;
CREATE INDEX parcels_stage_idx ON parcels (stage);

-- Every version of every parcel row, for `as_of`: what the register said at a time.
CREATE TABLE parcel_versions (
    parcel_id  bigint NOT NULL REFERENCES parcels (id),
    version    integer NOT NULL,
    valid_from timestamptz NOT NULL,
    row        jsonb NOT NULL,
    PRIMARY KEY (parcel_id, version)
);
CREATE INDEX parcel_versions_valid_from_idx ON parcel_versions (valid_from);

CREATE FUNCTION parcels_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (NEW.id, NEW.version, NEW.updated_at, to_jsonb(NEW));
    RETURN NULL;
END $$;
CREATE TRIGGER parcels_keep_version AFTER INSERT ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_keep_version();
CREATE TRIGGER parcels_keep_version_on_update AFTER UPDATE ON parcels
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION parcels_keep_version();
INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
SELECT p.id, p.version, p.updated_at, to_jsonb(p) FROM parcels p;

-- Documents, content-addressed: the id is the SHA-256 of the bytes.
CREATE TABLE documents (
    sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    filename     text NOT NULL,
    content      bytea NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    uploaded_by  bigint NOT NULL REFERENCES users (id)
);

CREATE TYPE event_kind AS ENUM (
    'suspicion_raised', 'survey_started', 'phase1_concluded', 'phase2_concluded', 'risk_assessed',
    'listed', 'plan_filed', 'works_started', 'soil_transport_declared', 'works_finished',
    'effect_evaluated', 'delisted', 'post_management', 'withdrawal_planned', 'right_withdrawn',
    'transfer_planned', 'right_transferred', 'indicators_fixed', 'land_supplied',
    'planning_permit', 'construction_permit', 'construction_started', 'correction');

CREATE TABLE parcel_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id     bigint NOT NULL REFERENCES parcels (id),
    kind          event_kind NOT NULL,
    occurred_on   date NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by   bigint NOT NULL REFERENCES users (id),
    department    text NOT NULL,
    payload       jsonb NOT NULL,
    note          text,
    planned_class smallint NOT NULL CHECK (planned_class IN (1, 2)),
    voids         bigint REFERENCES parcel_events (id)
);
CREATE INDEX parcel_events_parcel_idx ON parcel_events (parcel_id, id);

CREATE TABLE event_documents (
    event_id bigint NOT NULL REFERENCES parcel_events (id),
    sha256   text NOT NULL REFERENCES documents (sha256),
    PRIMARY KEY (event_id, sha256)
);

-- Events are a legal record: never edited, never deleted (a correction event voids one).
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER parcel_events_append_only BEFORE UPDATE OR DELETE ON parcel_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER event_documents_append_only BEFORE UPDATE OR DELETE ON event_documents
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TYPE filing_kind AS ENUM (
    'survey_report', 'risk_assessment_report', 'control_plan', 'remediation_plan',
    'effect_evaluation_report', 'soil_transport_plan', 'periodic_control_report');
CREATE TYPE filing_status AS ENUM ('received', 'under_review', 'accepted', 'returned');

CREATE TABLE filings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id     bigint NOT NULL REFERENCES parcels (id),
    kind          filing_kind NOT NULL,
    submitter     text NOT NULL,
    received_on   date NOT NULL,
    status        filing_status NOT NULL DEFAULT 'received',
    reviewer      text,
    return_reason text,
    deadline      date,
    overdue_since date,
    event_id      bigint REFERENCES parcel_events (id),
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    bigint NOT NULL REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    bigint NOT NULL REFERENCES users (id),
    CHECK (status <> 'returned' OR return_reason IS NOT NULL)
);
CREATE INDEX filings_parcel_idx ON filings (parcel_id);
CREATE INDEX filings_deadline_idx ON filings (deadline) WHERE status <> 'accepted';

CREATE TABLE filing_documents (
    filing_id bigint NOT NULL REFERENCES filings (id),
    sha256    text NOT NULL REFERENCES documents (sha256),
    PRIMARY KEY (filing_id, sha256)
);

-- Every status change of a filing, with who and when.
CREATE TABLE filing_reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id   bigint NOT NULL REFERENCES filings (id),
    status      filing_status NOT NULL,
    reason      text,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by bigint NOT NULL REFERENCES users (id)
);

CREATE TABLE alerts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('filing_overdue')),
    filing_id  bigint REFERENCES filings (id),
    parcel_id  bigint REFERENCES parcels (id),
    message    text NOT NULL,
    raised_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alerts_once UNIQUE (kind, filing_id)
);
