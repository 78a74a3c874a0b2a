-- Instruments an organisation adds: its own definitions and the licensed item wording (text
-- packs) for a definition, each kept as the TOML that was loaded; the measures crate parses
-- and validates it on load and again on read. Bundled instruments are not stored.
-- Keep this file and postgres/ of the same name in step.

CREATE TABLE instrument_definitions (
    id         INTEGER PRIMARY KEY,
    instrument TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    source     TEXT    NOT NULL,
    loaded_at  TEXT    NOT NULL,
    UNIQUE (instrument, version)
);

-- One text pack per definition version; loading another replaces it.
CREATE TABLE instrument_texts (
    id         INTEGER PRIMARY KEY,
    instrument TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    source     TEXT    NOT NULL,
    loaded_at  TEXT    NOT NULL,
    UNIQUE (instrument, version)
);
