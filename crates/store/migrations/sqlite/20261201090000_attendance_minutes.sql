-- Attendance in minutes: how late a member arrived and how early they left, so figures
-- (late and early-leave minutes) come from the record rather than from clock times.
-- Keep this file and postgres/ of the same name in step.

ALTER TABLE attendance ADD COLUMN late_minutes INTEGER NOT NULL DEFAULT 0 CHECK (late_minutes >= 0);
ALTER TABLE attendance ADD COLUMN left_early_minutes INTEGER NOT NULL DEFAULT 0 CHECK (left_early_minutes >= 0);

-- The member page reads one member's marks across their groups.
CREATE INDEX attendance_by_member ON attendance (member_id);
