-- 0041 (trust, range 0040-0049): the people who sign in, and what they may do.
-- A user holds one or more roles; the PIN is stored only as a salted scrypt
-- hash (clinic.core.users). A user is disabled, never deleted: the audit log
-- names them.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- what they type to sign in
    volunteer_id INTEGER REFERENCES volunteers(id),  -- the volunteer they are, if any
    pin_hash TEXT NOT NULL,                   -- scrypt$n$r$p$salt$hash (hex)
    active INTEGER NOT NULL DEFAULT 1,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0, -- in a row; reset by a good sign-in
    locked_until TEXT,                        -- local date-time; too many wrong PINs
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    pin_changed_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'clinician', 'clerk', 'pharmacist')),
    PRIMARY KEY (user_id, role)
);
