-- Where a parcel's version came from: the import job that wrote it (an insert or an update
-- from a file), or NULL for an edit through the API or an event. Not a foreign key: a
-- district-wide import would check a million rows against `imports` for nothing, and the
-- job rows are never deleted.
ALTER TABLE parcels ADD COLUMN updated_via uuid;

-- An update that does not set it says it did not come from an import: cleared, so that an
-- edit after an import is not taken for the import's.
CREATE FUNCTION parcels_clear_updated_via() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_via IS NOT DISTINCT FROM OLD.updated_via THEN
        NEW.updated_via := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER parcels_clear_updated_via BEFORE UPDATE ON parcels
    FOR EACH ROW WHEN (OLD.updated_via IS NOT NULL)
    EXECUTE FUNCTION parcels_clear_updated_via();
