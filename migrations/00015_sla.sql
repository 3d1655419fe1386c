-- Service agreements: each client's targets per priority, counted in the
-- agency's business hours (settings.business_hours), and the warnings and
-- breaches already recorded.

-- +goose Up
CREATE TABLE sla_targets (
    client_id              BIGINT NOT NULL REFERENCES clients (id),
    priority               TEXT NOT NULL CHECK (priority IN ('normal', 'urgent', 'critical')),
    -- Business minutes; 0 = no promise for that goal.
    first_response_minutes INT NOT NULL CHECK (first_response_minutes BETWEEN 0 AND 175200),
    resolution_minutes     INT NOT NULL CHECK (resolution_minutes BETWEEN 0 AND 175200),
    PRIMARY KEY (client_id, priority)
);

-- A request's clocks are computed from its events: the status changes (the
-- column each went to, kept beside the payload so that lists of thousands
-- of requests read it from the index instead of decoding every event's
-- JSON) and the public comments (an internal one has no client payload).
ALTER TABLE events ADD COLUMN status_to TEXT GENERATED ALWAYS AS (payload -> 'changes' -> 'status' ->> 'to') STORED;
CREATE INDEX events_sla_idx ON events (task_id, seq) INCLUDE (created_at, status_to, actor_id)
    WHERE status_to IS NOT NULL OR (kind = 'comment.created' AND client_payload IS NOT NULL);

-- One row per request, goal and level: the periodic check on any number of
-- instances records and announces each warning and breach once.
CREATE TABLE sla_alerts (
    task_id    BIGINT NOT NULL REFERENCES tasks (id),
    goal       TEXT NOT NULL CHECK (goal IN ('first_response', 'resolution')),
    level      TEXT NOT NULL CHECK (level IN ('warning', 'breach')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, goal, level)
);

-- The monthly report reads a client's requests by the day they were filed.
CREATE INDEX tasks_created_idx ON tasks (project_id, created_at);

-- +goose Down
DROP INDEX tasks_created_idx;
DROP TABLE sla_alerts;
DROP INDEX events_sla_idx;
ALTER TABLE events DROP COLUMN status_to;
DROP TABLE sla_targets;
