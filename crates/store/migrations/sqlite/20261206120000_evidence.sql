-- Evidence and alerts: questionnaire responses (answers only: scores are recomputed from
-- them), kiosk openings of a session, process events (observer tally and coded
-- transcripts) with each coded transcript's utterance counts, and the alerts the rules raise.
-- Keep this file and postgres/ of the same name in step.

-- A kiosk opened for a session: members reach its questionnaires with a short code. Only a
-- BLAKE2b hash of the code is kept (the facilitator sees the code once, when opening), so
-- the database, its backups and an admin's console never hold a live code. A code is unique
-- among kiosks not yet closed; opening a kiosk closes expired ones with the same code first.
CREATE TABLE kiosks (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT    NOT NULL,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    -- The instruments offered, 'id@version' separated by spaces, in the order shown.
    instruments TEXT    NOT NULL CHECK (instruments <> ''),
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    closed_at   TEXT,
    CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX kiosks_live_code ON kiosks (code_hash) WHERE closed_at IS NULL;
CREATE INDEX kiosks_by_session ON kiosks (session_id);

-- One response per member, instrument and session (whatever the version). `answers` holds
-- the item values in item order, comma-separated, an empty field for a missing item
-- ('1,0,,3'): one row per response keeps a kiosk submission one insert and a group's
-- dashboard read one row per response. Validated against the definition when written.
CREATE TABLE responses (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    instrument   TEXT    NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    answers      TEXT    NOT NULL,
    source       TEXT    NOT NULL CHECK (source IN ('kiosk', 'paper', 'import')),
    kiosk_id     INTEGER REFERENCES kiosks (id),
    -- The staff member who entered paper or imported answers; NULL for the member at a
    -- kiosk, or for the system (a command-line import, the demo).
    entered_by   INTEGER REFERENCES users (id),
    submitted_at TEXT    NOT NULL,
    CHECK (source <> 'kiosk' OR (kiosk_id IS NOT NULL AND entered_by IS NULL)),
    UNIQUE (session_id, member_id, instrument)
);
CREATE INDEX responses_by_member ON responses (member_id);

-- Process events: one per tally tap or per decided code of a coded utterance.
CREATE TABLE process_events (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    member_id       INTEGER REFERENCES members (id),
    speaker         TEXT,
    code            TEXT    NOT NULL CHECK (code IN ('hostility', 'judgment', 'challenge', 'avoidance',
        'disclosure', 'emotion', 'support', 'universality', 'feedback', 'validation', 'hope',
        'advice', 'facilitation', 'safety')),
    target          TEXT    CHECK (target IN ('self', 'member', 'leader', 'group')),
    -- The member a tallied hostility or judgment was aimed at, when the observer named one.
    aimed_at        INTEGER REFERENCES members (id),
    intensity       INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 3),
    source          TEXT    NOT NULL CHECK (source IN ('tally', 'transcript')),
    utterance_index INTEGER CHECK (utterance_index >= 0),
    at              TEXT,
    recorded_by     INTEGER REFERENCES users (id),
    recorded_at     TEXT    NOT NULL
);
CREATE INDEX process_events_by_session ON process_events (session_id);

-- A coded transcript's size: its utterances (everyone's) and each mapped member's, the
-- units its code rates and talk shares are counted in. Replaced with its events.
CREATE TABLE transcript_counts (
    session_id  INTEGER PRIMARY KEY REFERENCES sessions (id),
    utterances  INTEGER NOT NULL CHECK (utterances >= 0),
    recorded_at TEXT    NOT NULL
);
CREATE TABLE transcript_talk (
    session_id INTEGER NOT NULL REFERENCES transcript_counts (session_id),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    utterances INTEGER NOT NULL CHECK (utterances >= 0),
    PRIMARY KEY (session_id, member_id)
);

-- Alerts as the rules of DOMAIN.md §6.3 raise them, one per episode: `dedupe_key` (rule,
-- subject, qualifier, opening session) is inserted once and never deleted, so evaluating
-- the same evidence again, or after the alert was resolved, raises nothing new.
CREATE TABLE alerts (
    id            INTEGER PRIMARY KEY,
    dedupe_key    TEXT    NOT NULL UNIQUE,
    rule_id       TEXT    NOT NULL CHECK (rule_id IN ('SAFETY', 'CONFLICT_ESC', 'CONFLICT_EXPECTED',
        'WITHDRAWAL', 'ALLIANCE_LOW', 'DROPOUT_RISK', 'NOT_IMPROVING', 'DETERIORATION', 'STAGE_STALLED')),
    rule_version  INTEGER NOT NULL CHECK (rule_version >= 1),
    severity      TEXT    NOT NULL CHECK (severity IN ('info', 'medium', 'high', 'urgent')),
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    member_id     INTEGER REFERENCES members (id),
    session_id    INTEGER REFERENCES sessions (id),
    -- What the rule saw (values with sessions, thresholds with sources), as JSON.
    evidence      TEXT    NOT NULL,
    suggestion    TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    raised_at     TEXT    NOT NULL,
    handled_by    INTEGER REFERENCES users (id),
    handled_at    TEXT,
    handling_note TEXT
);
CREATE INDEX alerts_by_group ON alerts (group_id, status);
