-- Foundation: organisation, programs, users, groups, members, sessions, attendance,
-- sign-in sessions and the hash-chained audit log.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (sortable); dates 'YYYY-MM-DD'.
-- Keep this file and sqlite/ of the same name in step. Integers are BIGINT so both
-- backends decode them as i64.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisation (
    id                         SMALLINT PRIMARY KEY CHECK (id = 1),
    name                       TEXT    NOT NULL,
    time_zone                  TEXT    NOT NULL,
    idle_logoff_minutes        BIGINT NOT NULL,
    lockout_threshold          BIGINT NOT NULL,
    alert_conflict_level       DOUBLE PRECISION    NOT NULL,
    alert_conflict_rise        DOUBLE PRECISION    NOT NULL,
    alert_consecutive_absences BIGINT NOT NULL
);
INSERT INTO organisation VALUES (1, 'Circlework', 'UTC', 30, 5, 3.0, 1.0, 2);

CREATE TABLE programs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE,
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('admin', 'supervisor', 'facilitator', 'co-facilitator', 'participant')),
    password_hash       TEXT    NOT NULL,
    password_changed_at TEXT    NOT NULL,
    failed_logins       BIGINT NOT NULL DEFAULT 0,
    locked_at           TEXT,
    disabled_at         TEXT,
    created_at          TEXT    NOT NULL
);

CREATE TABLE user_programs (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    PRIMARY KEY (user_id, program_id)
);

CREATE TABLE groups (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id       BIGINT NOT NULL REFERENCES programs (id),
    name             TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('closed', 'open', 'rolling')),
    planned_sessions BIGINT CHECK (planned_sessions > 0),
    capacity         BIGINT CHECK (capacity > 0),
    schedule         TEXT    NOT NULL DEFAULT '',
    starts_on        TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    closed_at        TEXT
);
CREATE INDEX groups_by_program ON groups (program_id);

CREATE TABLE group_staff (
    group_id BIGINT NOT NULL REFERENCES groups (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    role     TEXT    NOT NULL CHECK (role IN ('lead', 'co-facilitator')),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_staff_by_user ON group_staff (user_id);

CREATE TABLE members (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    alias      TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE enrollments (
    member_id    BIGINT NOT NULL REFERENCES members (id),
    group_id     BIGINT NOT NULL REFERENCES groups (id),
    joined_on    TEXT    NOT NULL,
    left_on      TEXT,
    leave_reason TEXT CHECK (leave_reason IN ('completed', 'dropout', 'transferred', 'removed', 'other')),
    PRIMARY KEY (member_id, group_id)
);
CREATE INDEX enrollments_by_group ON enrollments (group_id);

CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     BIGINT NOT NULL REFERENCES groups (id),
    number       BIGINT NOT NULL CHECK (number > 0),
    scheduled_at TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    UNIQUE (group_id, number)
);

CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    member_id  BIGINT NOT NULL REFERENCES members (id),
    status     TEXT    NOT NULL CHECK (status IN ('present', 'late', 'left-early', 'excused', 'absent')),
    arrived_at TEXT,
    left_at    TEXT,
    PRIMARY KEY (session_id, member_id)
);

-- Sign-in sessions. Only a hash of the cookie's token is stored, so a copy of the
-- database cannot be used to take over a session.
CREATE TABLE auth_sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);

-- The audit trail: every row's hash covers all its columns and the previous row's hash.
-- audit_head holds the newest row's number and hash, so removing rows at the end shows too.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor_id  BIGINT,
    actor     TEXT    NOT NULL,
    origin    TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id BIGINT,
    group_id  BIGINT,
    member_id BIGINT,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id);
CREATE INDEX audit_log_by_member ON audit_log (member_id);
CREATE INDEX audit_log_by_group ON audit_log (group_id);

CREATE TABLE audit_head (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
