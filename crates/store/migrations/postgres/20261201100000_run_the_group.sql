-- Running the group: a group's life (planned -> active -> ended) and weekly schedule;
-- sessions' length, cancellation reason and attendance lock; enrollments that keep every
-- stay of a member on a roster, with a kiosk label and the "released" leave reason.
-- Keep this file and sqlite/ of the same name in step.

ALTER TABLE groups ADD COLUMN status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'ended'));
-- The weekly meeting: ISO weekday (1 = Monday), local start time 'HH:MM', length.
ALTER TABLE groups ADD COLUMN meets_weekday BIGINT CHECK (meets_weekday BETWEEN 1 AND 7);
ALTER TABLE groups ADD COLUMN meets_at TEXT;
ALTER TABLE groups ADD COLUMN session_minutes BIGINT CHECK (session_minutes > 0);
ALTER TABLE groups ADD COLUMN ended_on TEXT;
UPDATE groups SET status = 'ended' WHERE closed_at IS NOT NULL;
UPDATE groups SET status = 'active' WHERE closed_at IS NULL
    AND EXISTS (SELECT 1 FROM sessions s WHERE s.group_id = groups.id AND s.status = 'held');

ALTER TABLE sessions ADD COLUMN minutes BIGINT NOT NULL DEFAULT 90 CHECK (minutes > 0);
ALTER TABLE sessions ADD COLUMN cancel_reason TEXT;
-- 1 for a session added beside the schedule: planning neither counts nor moves it.
ALTER TABLE sessions ADD COLUMN extra BIGINT NOT NULL DEFAULT 0 CHECK (extra IN (0, 1));
-- Set when the session's group note is signed; attendance is then read-only.
ALTER TABLE sessions ADD COLUMN attendance_locked_at TEXT;
CREATE INDEX sessions_by_group_time ON sessions (group_id, scheduled_at);

ALTER TABLE enrollments DROP CONSTRAINT enrollments_pkey;
ALTER TABLE enrollments ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE enrollments DROP CONSTRAINT enrollments_leave_reason_check;
ALTER TABLE enrollments ADD CONSTRAINT enrollments_leave_reason_check
    CHECK (leave_reason IN ('completed', 'dropout', 'transferred', 'released', 'removed', 'other'));
ALTER TABLE enrollments ADD CONSTRAINT enrollments_dates_check CHECK (left_on IS NULL OR left_on >= joined_on);
ALTER TABLE enrollments ADD COLUMN kiosk_label TEXT;
CREATE INDEX enrollments_by_member ON enrollments (member_id);
-- At most one open stay per member and group; past stays are history.
CREATE UNIQUE INDEX enrollments_one_open_stay ON enrollments (member_id, group_id) WHERE left_on IS NULL;
