-- The language each person reads Doska in. NULL until they choose one (the
-- web app sets it from the browser at the first sign-in); until then, and
-- for invitations, the agency's default language (settings.default_locale)
-- applies.

-- +goose Up
ALTER TABLE users ADD COLUMN locale TEXT CHECK (locale IN ('en', 'pl', 'ru', 'ja'));

-- +goose Down
ALTER TABLE users DROP COLUMN locale;
