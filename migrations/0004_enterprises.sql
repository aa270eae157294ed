-- Enterprises, closed-factory sites and their screening ledger, key supervised units.

CREATE TYPE enterprise_status AS ENUM ('operating', 'closed', 'relocated');

CREATE TABLE enterprises (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uscc       text NOT NULL CONSTRAINT enterprises_uscc_key UNIQUE CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name       text NOT NULL,
    industry   text NOT NULL CHECK (industry ~ '^[0-9]{2,4}$'),
    address    text NOT NULL DEFAULT '',
    location   geometry(Point, 4490),
    status     enterprise_status NOT NULL,
    closed_on  date,
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint REFERENCES users (id),
    CHECK ((status = 'operating') = (closed_on IS NULL))
);
CREATE INDEX enterprises_location_gix ON enterprises USING gist (location);

CREATE TYPE site_risk_level AS ENUM ('low', 'medium', 'high');

-- Versions of the scoring rules (JSON, see src/domain/site_risk); the highest is current.
CREATE TABLE scoring_rules (
    version    bigint PRIMARY KEY,
    rules      jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint REFERENCES users (id)
);

-- The former site of a closed or relocated firm (关停退出工业企业原址用地).
CREATE TABLE closed_sites (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id        bigint NOT NULL REFERENCES enterprises (id),
    name                 text NOT NULL,
    footprint            geometry(MultiPolygon, 4490) NOT NULL,
    area_m2              double precision NOT NULL,
    closure_year         integer NOT NULL CHECK (closure_year BETWEEN 1949 AND 2100),
    years_operating      integer NOT NULL CHECK (years_operating >= 0),
    hazardous_substances text[] NOT NULL DEFAULT '{}',
    incidents            integer NOT NULL DEFAULT 0 CHECK (incidents >= 0),
    risk_level           site_risk_level NOT NULL,
    risk_score           integer NOT NULL,
    risk_reasons         jsonb NOT NULL,
    rules_version        bigint NOT NULL REFERENCES scoring_rules (version),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX closed_sites_footprint_gix ON closed_sites USING gist (footprint);

-- Parcels a site lies on: proposed by overlap, confirmed by an officer.
CREATE TABLE closed_site_parcels (
    site_id      bigint NOT NULL REFERENCES closed_sites (id),
    parcel_id    bigint NOT NULL REFERENCES parcels (id),
    overlap_m2   double precision NOT NULL,
    confirmed_at timestamptz NOT NULL DEFAULT now(),
    confirmed_by bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (site_id, parcel_id)
);

-- 筛查台账: every update is a new dated entry; the earlier ones stay.
CREATE TABLE screening_ledger (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id         bigint NOT NULL REFERENCES closed_sites (id),
    entry_on        date NOT NULL,
    risk_level      site_risk_level NOT NULL,
    current_state   text NOT NULL,
    development_use text NOT NULL,
    survey_info     text NOT NULL,
    note            text,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by     bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX screening_ledger_site_idx ON screening_ledger (site_id, id);
CREATE TRIGGER screening_ledger_append_only BEFORE UPDATE OR DELETE ON screening_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- 土壤污染重点监管单位名录: a firm is on a year's list or not, with the reason.
CREATE TABLE key_unit_listings (
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    listed        boolean NOT NULL,
    reason        text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    recorded_by   bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (enterprise_id, year)
);

CREATE TYPE duty_kind AS ENUM ('hazard_investigation', 'self_monitoring', 'toxic_substance_report', 'prevention_rules');

CREATE TABLE key_unit_duties (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    year          integer NOT NULL,
    kind          duty_kind NOT NULL,
    due_on        date NOT NULL,
    done_on       date,
    evidence      text REFERENCES documents (sha256),
    note          text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    bigint NOT NULL REFERENCES users (id),
    CONSTRAINT key_unit_duties_key UNIQUE (enterprise_id, year, kind),
    FOREIGN KEY (enterprise_id, year) REFERENCES key_unit_listings (enterprise_id, year)
);

-- Self-monitoring results of key units (soil or groundwater), screened on entry.
CREATE TABLE self_monitoring_results (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES enterprises (id),
    point_id      text NOT NULL,
    sampled_on    date NOT NULL,
    item_no       text NOT NULL REFERENCES gb36600_items (item_no),
    value_mgkg    double precision NOT NULL CHECK (value_mgkg >= 0),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    recorded_by   bigint NOT NULL REFERENCES users (id),
    CONSTRAINT self_monitoring_key UNIQUE (enterprise_id, point_id, sampled_on, item_no)
);

ALTER TABLE alerts ADD COLUMN enterprise_id bigint REFERENCES enterprises (id);
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN
    ('filing_overdue', 'verdict_changed', 'self_monitoring_exceeded', 'self_monitoring_rising', 'duty_overdue'));
