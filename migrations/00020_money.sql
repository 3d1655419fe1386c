-- What an hour costs a client: a rate and currency per client, and a rate
-- per project that overrides it (NULL = the client's). Amounts are whole
-- minor units (cents) so sums never round. A time entry's internal flag
-- keeps its note from every client-facing view.

-- +goose Up
ALTER TABLE clients
    ADD COLUMN hourly_rate_cents BIGINT NOT NULL DEFAULT 0 CHECK (hourly_rate_cents BETWEEN 0 AND 100000000),
    ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE projects
    ADD COLUMN hourly_rate_cents BIGINT CHECK (hourly_rate_cents BETWEEN 0 AND 100000000);
ALTER TABLE time_entries ADD COLUMN internal BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE time_entries DROP COLUMN internal;
ALTER TABLE projects DROP COLUMN hourly_rate_cents;
ALTER TABLE clients DROP COLUMN currency, DROP COLUMN hourly_rate_cents;
