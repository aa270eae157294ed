-- `parcel_versions` keeps the versions a parcel has left behind; the version in effect is the
-- parcel's own row (its `version`, in effect from its `updated_at`). An insert writes no
-- history row; an update that moves the version writes the row it replaces. "As of" reads
-- the newer of the two. Every current row was stored twice before, and a bulk import spent
-- a third of its write on rows that only repeated the parcels it had just inserted.

-- A history row: the parcel as JSON, built without sending every geometry of the row through
-- PostGIS's json cast (as since 0012): the boundary is written by ST_AsGeoJSON (with the
-- short EPSG:4490 crs member), its Web Mercator copies not at all.
CREATE FUNCTION parcel_version_row(p parcels) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v parcels := p;
BEGIN
    v.geom := NULL;
    v.geom_3857 := NULL;
    v.point_3857 := NULL;
    RETURN (to_jsonb(v) - 'geom_3857' - 'point_3857')
        || jsonb_build_object('geom', ST_AsGeoJSON(p.geom, 15, 2)::jsonb);
END $$;

CREATE FUNCTION parcels_keep_old_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (OLD.id, OLD.version, OLD.updated_at, parcel_version_row(OLD));
    RETURN NULL;
END $$;

DROP TRIGGER parcels_keep_version ON parcels;
DROP TRIGGER parcels_keep_version_on_update ON parcels;
DROP FUNCTION parcels_keep_version();
CREATE TRIGGER parcels_keep_old_version AFTER UPDATE ON parcels
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION parcels_keep_old_version();

-- The rows that repeat a parcel's current version go.
DELETE FROM parcel_versions v USING parcels p WHERE v.parcel_id = p.id AND v.version = p.version;
