-- The other ledgers of the plan (§3, §6–§11): heavy-metal and electroplating firms, buried
-- tanks and their inspections, industrial solid-waste storage sites and their patrols, new
-- industrial projects, farmland plots and their produce tests, patrols of unused land.
--
-- Each main table keeps the same bookkeeping (id, version, created/updated at/by) and a
-- geometry column named `geom`, so one trigger keeps every version in `ledger_versions`.
-- Column names are the API's field names. Derived flags (baseline_missing,
-- stop_direct_planting, last_inspection_failed, issue_open) are computed by the service's
-- pure rules (src/domain/ledgers/rules.rs) and stored in the same transaction as the write.

CREATE TYPE heavy_metal AS ENUM ('cd', 'hg', 'as', 'pb', 'cr', 'ni', 'cu', 'zn');
CREATE TYPE investigation_status AS ENUM ('not_started', 'investigating', 'remediating', 'done');
CREATE TYPE anti_leak_measure AS ENUM ('double_wall', 'leak_detection', 'anti_seepage_pit', 'none');
CREATE TYPE project_sector AS ENUM ('vehicle', 'display_panel', 'integrated_circuit');
CREATE TYPE farmland_type AS ENUM ('paddy', 'dry', 'irrigated', 'orchard', 'vegetable');
CREATE TYPE farmland_class AS ENUM ('priority_protection', 'safe_use', 'strict_control');

-- §3: firms in cadmium and other heavy-metal industries, and firms with electroplating.
CREATE TABLE heavy_metal_firms (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uscc             text NOT NULL
                     CONSTRAINT heavy_metal_firms_uscc_key UNIQUE
                     CONSTRAINT heavy_metal_firms_uscc_fkey REFERENCES enterprises (uscc),
    metals           heavy_metal[] NOT NULL,
    electroplating   boolean NOT NULL,
    status           investigation_status NOT NULL,
    remediation_note text,
    geom             geometry(Point, 4490) NOT NULL,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       bigint NOT NULL REFERENCES users (id),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       bigint NOT NULL REFERENCES users (id),
    CHECK (cardinality(metals) > 0 OR electroplating)
);

-- §3: buried tanks and pipelines (petrol stations and others), reported by their owners.
CREATE TABLE buried_tanks (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner                  text NOT NULL,
    owner_uscc             text CONSTRAINT buried_tanks_owner_uscc_fkey REFERENCES enterprises (uscc),
    substance              text NOT NULL,
    capacity_m3            double precision NOT NULL CHECK (capacity_m3 > 0),
    installed_on           date NOT NULL,
    anti_leak              anti_leak_measure[] NOT NULL CHECK (cardinality(anti_leak) > 0),
    last_inspection_failed boolean NOT NULL DEFAULT false,
    geom                   geometry(Point, 4490) NOT NULL,
    version                integer NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             bigint NOT NULL REFERENCES users (id),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    updated_by             bigint NOT NULL REFERENCES users (id)
);

-- §11: industrial solid-waste storage sites (工业固体废物堆存场所).
CREATE TABLE waste_storage_sites (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator        text NOT NULL,
    waste_type      text NOT NULL,
    safety_measures text NOT NULL,
    issue_open      boolean NOT NULL DEFAULT false,
    geom            geometry(MultiPolygon, 4490) NOT NULL,
    area_m2         double precision NOT NULL CHECK (area_m2 > 0),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      bigint NOT NULL REFERENCES users (id),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint NOT NULL REFERENCES users (id)
);

-- §3: new vehicle, display-panel and integrated-circuit projects need a soil baseline
-- survey completed before construction starts.
CREATE TABLE new_projects (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    text NOT NULL,
    enterprise_uscc         text CONSTRAINT new_projects_enterprise_uscc_fkey REFERENCES enterprises (uscc),
    sector                  project_sector NOT NULL,
    baseline_survey_done_on date,
    construction_started_on date,
    baseline_missing        boolean NOT NULL,
    geom                    geometry(Point, 4490) NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    created_by              bigint NOT NULL REFERENCES users (id),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    updated_by              bigint NOT NULL REFERENCES users (id)
);

-- §6–§9: farmland and orchard plots, their class and safe-use measures.
CREATE TABLE farmland_plots (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL,
    town                 text NOT NULL CONSTRAINT farmland_plots_town_fkey REFERENCES towns (code),
    land_type            farmland_type NOT NULL,
    class                farmland_class NOT NULL,
    measures             text,
    stop_direct_planting boolean NOT NULL DEFAULT false,
    blocked_products     jsonb NOT NULL DEFAULT '[]',
    geom                 geometry(MultiPolygon, 4490) NOT NULL,
    area_m2              double precision NOT NULL CHECK (area_m2 > 0),
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           bigint NOT NULL REFERENCES users (id),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           bigint NOT NULL REFERENCES users (id),
    -- §6: every contaminated plot has safe-use measures.
    CHECK (class = 'priority_protection' OR measures IS NOT NULL)
);

-- §11: patrols of unused land (未利用地), each a point with what was found.
CREATE TABLE unused_land_patrols (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patrolled_on date NOT NULL,
    patroller    text NOT NULL,
    town         text NOT NULL CONSTRAINT unused_land_patrols_town_fkey REFERENCES towns (code),
    finding      text NOT NULL,
    photo        text CONSTRAINT unused_land_patrols_photo_fkey REFERENCES documents (sha256),
    follow_up    text,
    geom         geometry(Point, 4490) NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint NOT NULL REFERENCES users (id),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   bigint NOT NULL REFERENCES users (id)
);

CREATE INDEX heavy_metal_firms_geom_gix ON heavy_metal_firms USING gist (geom);
CREATE INDEX buried_tanks_geom_gix ON buried_tanks USING gist (geom);
CREATE INDEX waste_storage_sites_geom_gix ON waste_storage_sites USING gist (geom);
CREATE INDEX new_projects_geom_gix ON new_projects USING gist (geom);
CREATE INDEX farmland_plots_geom_gix ON farmland_plots USING gist (geom);
CREATE INDEX farmland_plots_town_idx ON farmland_plots (town);
CREATE INDEX unused_land_patrols_geom_gix ON unused_land_patrols USING gist (geom);
CREATE INDEX unused_land_patrols_town_idx ON unused_land_patrols (town);

-- Every version of every ledger row: `ledger` is the table's name.
CREATE TABLE ledger_versions (
    ledger     text NOT NULL,
    row_id     bigint NOT NULL,
    version    integer NOT NULL,
    valid_from timestamptz NOT NULL,
    row        jsonb NOT NULL,
    geom       geometry(Geometry, 4490) NOT NULL,
    PRIMARY KEY (ledger, row_id, version)
);
CREATE TRIGGER ledger_versions_append_only BEFORE UPDATE OR DELETE ON ledger_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE FUNCTION ledger_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_versions (ledger, row_id, version, valid_from, row, geom)
    VALUES (TG_TABLE_NAME, NEW.id, NEW.version, NEW.updated_at, to_jsonb(NEW) - 'geom', NEW.geom);
    RETURN NULL;
END $$;

-- An update that does not bump the version would change a row without a trace: refused.
CREATE FUNCTION ledger_require_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION '% row % must move from version % to %',
            TG_TABLE_NAME, OLD.id, OLD.version, OLD.version + 1
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['heavy_metal_firms', 'buried_tanks', 'waste_storage_sites',
                             'new_projects', 'farmland_plots', 'unused_land_patrols'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION ledger_require_version()',
                       t || '_versioned', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION ledger_keep_version()',
                       t || '_keep_version', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION refuse_change()',
                       t || '_no_delete', t);
    END LOOP;
END $$;

-- Child records: append-only, like the lifecycle's events.
CREATE TABLE tank_inspections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tank_id      bigint NOT NULL REFERENCES buried_tanks (id),
    inspected_on date NOT NULL,
    inspector    text NOT NULL,
    finding      text NOT NULL,
    passed       boolean NOT NULL,
    document     text CONSTRAINT tank_inspections_document_fkey REFERENCES documents (sha256),
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX tank_inspections_tank_idx ON tank_inspections (tank_id, inspected_on);

CREATE TABLE waste_patrols (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id      bigint NOT NULL REFERENCES waste_storage_sites (id),
    patrolled_on date NOT NULL,
    patroller    text NOT NULL,
    finding      text NOT NULL,
    issue_found  boolean NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX waste_patrols_site_idx ON waste_patrols (site_id, patrolled_on);

-- §9: 产出一季、检测一季 — one row per product, analyte and harvest.
CREATE TABLE produce_tests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plot_id      bigint NOT NULL REFERENCES farmland_plots (id),
    harvested_on date NOT NULL,
    product      text NOT NULL,
    analyte      text NOT NULL,
    value_mgkg   double precision NOT NULL CHECK (value_mgkg >= 0),
    limit_mgkg   double precision NOT NULL CHECK (limit_mgkg > 0),
    exceeds      boolean NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX produce_tests_plot_idx ON produce_tests (plot_id, harvested_on);

CREATE TRIGGER tank_inspections_append_only BEFORE UPDATE OR DELETE ON tank_inspections
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER waste_patrols_append_only BEFORE UPDATE OR DELETE ON waste_patrols
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER produce_tests_append_only BEFORE UPDATE OR DELETE ON produce_tests
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
