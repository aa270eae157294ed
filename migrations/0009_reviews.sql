-- Map-based review sessions: an agenda of parcels, and a decision per parcel with who and when.
CREATE TYPE review_decision AS ENUM ('approve', 'approve_with_conditions', 'defer', 'reject');

CREATE TABLE review_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL,
    held_on      date NOT NULL,
    participants text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint NOT NULL REFERENCES users (id)
);

CREATE TABLE review_agenda (
    session_id bigint NOT NULL REFERENCES review_sessions (id),
    position   integer NOT NULL,
    parcel_id  bigint NOT NULL REFERENCES parcels (id),
    PRIMARY KEY (session_id, position),
    CONSTRAINT review_agenda_once UNIQUE (session_id, parcel_id)
);

-- Decisions are kept, never edited: a later decision on the same item supersedes the earlier.
CREATE TABLE review_decisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES review_sessions (id),
    parcel_id   bigint NOT NULL REFERENCES parcels (id),
    decision    review_decision NOT NULL,
    conditions  text,
    event_id    bigint REFERENCES parcel_events (id),
    decided_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    decided_by  bigint NOT NULL REFERENCES users (id),
    CHECK (decision <> 'approve_with_conditions' OR conditions IS NOT NULL),
    FOREIGN KEY (session_id, parcel_id) REFERENCES review_agenda (session_id, parcel_id)
);
CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
