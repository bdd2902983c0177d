-- Foundation: reference lists, sessions, login attempts, audit.
-- Reference lists carry a stable code (never changes, referenced by requests), a label
-- that admins may rename, a position for ordering and an active flag: a deactivated
-- value disappears from new forms but stays valid on old requests.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE communes (
    code         text PRIMARY KEY,              -- INSEE code, e.g. 94080
    label        text NOT NULL UNIQUE,
    in_territory boolean NOT NULL DEFAULT true, -- one of the authority's communes
    position     integer NOT NULL DEFAULT 0,
    active       boolean NOT NULL DEFAULT true
);

CREATE TABLE origins (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);

CREATE TABLE requester_natures (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    -- a commune or a service asks in its own name: no requester name required
    is_institution boolean NOT NULL DEFAULT false,
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);

CREATE TABLE titles (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);

CREATE TABLE objects (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);

CREATE TABLE teams (
    code     text PRIMARY KEY,
    label    text NOT NULL UNIQUE,
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true
);

-- Agents as the requests name them (who did the work, who closed it). The directory
-- stays the authority for accounts and roles; login links an account to its agent row.
CREATE TABLE agents (
    code      text PRIMARY KEY,                -- directory identifier (uid)
    label     text NOT NULL,                   -- display name
    team_code text REFERENCES teams(code),
    position  integer NOT NULL DEFAULT 0,
    active    boolean NOT NULL DEFAULT true
);

-- Server-side sessions. Only a SHA-256 of the 256-bit random id is stored, so a read
-- of this table does not give a usable cookie.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY,
    login        text NOT NULL,
    display_name text NOT NULL,
    roles        integer NOT NULL,            -- bit set of roles, from directory groups
    communes     text NOT NULL DEFAULT '',    -- lecteur perimeter: INSEE codes, comma-separated
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_last_seen ON sessions (last_seen);

CREATE TABLE login_attempts (
    id         bigserial PRIMARY KEY,
    login      text NOT NULL,                 -- lower-cased identifier as typed
    at         timestamptz NOT NULL DEFAULT now(),
    remote_ip  text NOT NULL DEFAULT ''
);
CREATE INDEX login_attempts_login_at ON login_attempts (login, at);

CREATE TABLE audit (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    login   text NOT NULL,
    action  text NOT NULL,                    -- e.g. login, logout, export
    detail  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);
