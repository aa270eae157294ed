-- The parcel register, the district and its towns, users and tokens.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE district (
    id        integer PRIMARY KEY CHECK (id = 1),
    name      text NOT NULL,
    boundary  geometry(MultiPolygon, 4490) NOT NULL,
    synthetic boolean NOT NULL
);

CREATE TABLE towns (
    code      text PRIMARY KEY CHECK (code ~ '^110109[0-9]{3}$'),
    name_zh   text NOT NULL,
    name_en   text NOT NULL,
    boundary  geometry(MultiPolygon, 4490),
    synthetic boolean NOT NULL DEFAULT false
);
CREATE INDEX towns_boundary_gix ON towns USING gist (boundary);

INSERT INTO towns (code, name_zh, name_en) VALUES
    ('110109001', '大峪街道', 'Dayu Subdistrict'),
    ('110109002', '城子街道', 'Chengzi Subdistrict'),
    ('110109003', '东辛房街道', 'Dongxinfang Subdistrict'),
    ('110109004', '大台街道', 'Datai Subdistrict'),
    ('110109005', '王平镇', 'Wangping Town'),
    ('110109006', '永定镇', 'Yongding Town'),
    ('110109007', '龙泉镇', 'Longquan Town'),
    ('110109101', '潭柘寺镇', 'Tanzhesi Town'),
    ('110109104', '军庄镇', 'Junzhuang Town'),
    ('110109105', '雁翅镇', 'Yanchi Town'),
    ('110109106', '斋堂镇', 'Zhaitang Town'),
    ('110109107', '清水镇', 'Qingshui Town'),
    ('110109108', '妙峰山镇', 'Miaofengshan Town');

CREATE TYPE user_role AS ENUM ('viewer', 'editor', 'admin');

CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CONSTRAINT users_name_key UNIQUE,
    department text NOT NULL,
    role       user_role NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Tokens are stored as SHA-256 digests; the token itself is shown once.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    token_hash bytea NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE TYPE soil_risk AS ENUM ('unknown', 'low', 'medium', 'high');
CREATE TYPE land_right AS ENUM
    ('in_use', 'withdrawal_planned', 'withdrawn', 'transfer_planned', 'transferred', 'supplied');

CREATE TABLE parcels (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL CONSTRAINT parcels_code_key UNIQUE,
    name              text NOT NULL,
    town              text NOT NULL CONSTRAINT parcels_town_fkey REFERENCES towns (code),
    address           text NOT NULL DEFAULT '',
    current_use       text,
    planned_use       text,
    gb36600_class     smallint NOT NULL CHECK (gb36600_class IN (1, 2)),
    land_right        land_right NOT NULL DEFAULT 'in_use',
    right_holder      text,
    responsible_party text,
    risk              soil_risk NOT NULL DEFAULT 'unknown',
    geom              geometry(MultiPolygon, 4490) NOT NULL,
    area_m2           double precision NOT NULL CHECK (area_m2 > 0),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        bigint REFERENCES users (id),
    retired_at        timestamptz,
    retired_reason    text,
    synthetic         boolean NOT NULL DEFAULT false,
    CHECK ((retired_at IS NULL) = (retired_reason IS NULL))
);
CREATE INDEX parcels_geom_gix ON parcels USING gist (geom);
CREATE INDEX parcels_town_idx ON parcels (town);
CREATE INDEX parcels_planned_use_idx ON parcels (planned_use text_pattern_ops);
