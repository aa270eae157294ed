-- A source's saved mapping is kept per place its rows go: a surveyor's parcels and the
-- same surveyor's ledger of tanks have different columns.
ALTER TABLE import_mappings ADD COLUMN register text NOT NULL DEFAULT 'parcels'
    CONSTRAINT import_mappings_register_check CHECK (register IN (
        'parcels', 'heavy-metal-firms', 'buried-tanks', 'waste-storage-sites',
        'new-projects', 'farmland-plots', 'unused-land-patrols'));
ALTER TABLE import_mappings DROP CONSTRAINT import_mappings_pkey,
    ADD PRIMARY KEY (source, register);
