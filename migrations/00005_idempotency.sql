-- Idempotency keys (draft-ietf-httpapi-idempotency-key-header): a client
-- that did not hear the answer to a command sends it again with the same
-- key, and the command is carried out once. A key is written in the
-- command's own transaction; the answer is added once it is sent.

-- +goose Up
CREATE TABLE idempotency_keys (
    user_id     BIGINT NOT NULL REFERENCES users (id),
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the method, the path and the body: the same key with
    -- another request is refused, never answered with the first's answer.
    fingerprint BYTEA NOT NULL,
    status      INT,
    body        BYTEA,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
