-- The yearly action plan's tasks and measures, and the progress departments report on them.
-- The rows of the plan itself are loaded by the service from the parsed plan text
-- (fixtures/plan-2023.txt), not written here.

CREATE TYPE plan_deadline AS ENUM ('year_end', 'ongoing');
CREATE TYPE plan_unit_role AS ENUM ('lead', 'responsible');
CREATE TYPE plan_status AS ENUM ('not_started', 'in_progress', 'done', 'blocked');

CREATE TABLE plan_tasks (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year    integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    no      smallint NOT NULL CHECK (no BETWEEN 1 AND 99),
    section text NOT NULL,
    title   text NOT NULL,
    CONSTRAINT plan_tasks_year_no_key UNIQUE (year, no)
);

CREATE TABLE plan_measures (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id  bigint NOT NULL REFERENCES plan_tasks (id),
    position smallint NOT NULL CHECK (position >= 1),
    text     text NOT NULL CHECK (text <> ''),
    deadline plan_deadline NOT NULL,
    CONSTRAINT plan_measures_task_position_key UNIQUE (task_id, position)
);

-- A unit as the plan names it; `department` is the system's department for it, `towns` for
-- 各镇街 / X等相关镇街 (any town), NULL for units the system has no department for.
CREATE TABLE plan_measure_units (
    measure_id bigint NOT NULL REFERENCES plan_measures (id),
    role       plan_unit_role NOT NULL,
    position   smallint NOT NULL CHECK (position >= 1),
    name       text NOT NULL CHECK (name <> ''),
    department text CHECK (department ~ '^(eco|planning|housing|agri|forestry|industry|water|park|towns|110109[0-9]{3})$'),
    PRIMARY KEY (measure_id, role, position)
);
CREATE INDEX plan_measure_units_department_idx ON plan_measure_units (department);

-- Progress reports: a dated trail, never changed.
CREATE TABLE plan_progress (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    measure_id  bigint NOT NULL REFERENCES plan_measures (id),
    department  text NOT NULL,
    reported_on date NOT NULL,
    status      plan_status NOT NULL,
    percent     smallint NOT NULL CHECK (percent BETWEEN 0 AND 100),
    text        text NOT NULL CHECK (text <> ''),
    evidence    text REFERENCES documents (sha256),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by bigint NOT NULL REFERENCES users (id),
    CHECK (status <> 'done' OR percent = 100)
);
CREATE INDEX plan_progress_measure_idx ON plan_progress (measure_id, department, reported_on DESC, id DESC);
CREATE TRIGGER plan_progress_append_only BEFORE UPDATE OR DELETE ON plan_progress
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
