-- A quote's amount: the hours at the project's effective rate, in the
-- client's currency, priced when the quote is sent and never again, so a
-- later rate change leaves sent and accepted quotes as the client saw them.
-- NULL: the project had no rate (the quote is hours only). Each quote_sent
-- event keeps the amount of that sending for the card's activity; the live
-- feed never reads these columns, since developers may not see money.

-- +goose Up
ALTER TABLE tasks
    ADD COLUMN quote_amount_cents BIGINT CHECK (quote_amount_cents >= 0),
    ADD COLUMN quote_currency TEXT,
    ADD CONSTRAINT tasks_quote_money CHECK ((quote_amount_cents IS NULL) = (quote_currency IS NULL));
ALTER TABLE events
    ADD COLUMN quote_amount_cents BIGINT,
    ADD COLUMN quote_currency TEXT;

-- +goose Down
ALTER TABLE events DROP COLUMN quote_amount_cents, DROP COLUMN quote_currency;
ALTER TABLE tasks DROP CONSTRAINT tasks_quote_money, DROP COLUMN quote_amount_cents, DROP COLUMN quote_currency;
