-- A parcel's history row is built in one place, `parcel_version_row`, used by the row trigger
-- and by a bulk import. An import writes its parcels' first history rows set-based, in the
-- same statement as the parcels (a data-modifying WITH), instead of one trigger call and one
-- INSERT per row; it says so with the transaction-local setting `soilreg.bulk_history`, which
-- the insert trigger's WHEN clause reads. Every other insert keeps the trigger.
CREATE FUNCTION parcel_version_row(p parcels) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v parcels := p;
BEGIN
    -- Not through the json cast: the boundary is written by ST_AsGeoJSON (with the short
    -- EPSG:4490 crs member, as since 0012), its Web Mercator copies not at all.
    v.geom := NULL;
    v.geom_3857 := NULL;
    v.point_3857 := NULL;
    RETURN (to_jsonb(v) - 'geom_3857' - 'point_3857')
        || jsonb_build_object('geom', ST_AsGeoJSON(p.geom, 15, 2)::jsonb);
END $$;

CREATE OR REPLACE FUNCTION parcels_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_versions (parcel_id, version, valid_from, row)
    VALUES (NEW.id, NEW.version, NEW.updated_at, parcel_version_row(NEW));
    RETURN NULL;
END $$;

DROP TRIGGER parcels_keep_version ON parcels;
CREATE TRIGGER parcels_keep_version AFTER INSERT ON parcels
    FOR EACH ROW WHEN (current_setting('soilreg.bulk_history', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION parcels_keep_version();
