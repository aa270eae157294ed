-- The plan's rules at work: the annual land-supply plan, remote-sensing patches, deadline alerts.

-- Entries of an annual land-supply plan, recorded when a plan is checked with store=true.
CREATE TABLE supply_plan_entries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    parcel_id    bigint NOT NULL REFERENCES parcels (id),
    intended_use text NOT NULL,
    planned_on   date,
    verdict      text NOT NULL CHECK (verdict IN ('allowed', 'conditional', 'blocked')),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  bigint NOT NULL REFERENCES users (id),
    CONSTRAINT supply_plan_key UNIQUE (year, parcel_id)
);

CREATE TYPE patch_kind AS ENUM ('construction', 'dumping', 'occupation');

-- 卫片图斑: polygons of detected change.
CREATE TABLE rs_patches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patch_no    text NOT NULL CONSTRAINT rs_patches_no_key UNIQUE,
    kind        patch_kind NOT NULL,
    detected_on date NOT NULL,
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    area_m2     double precision NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX rs_patches_geom_gix ON rs_patches USING gist (geom);

ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN
    ('filing_overdue', 'verdict_changed', 'self_monitoring_exceeded', 'self_monitoring_rising', 'duty_overdue',
     'survey_deadline_passed'));
