-- Files a client attaches while writing a request, before its card exists:
-- an upload without a card until the request is filed, when it joins the
-- new card in the same transaction. Only its uploader may read it until
-- then; the sweep deletes it if the request is never sent.

-- +goose Up
ALTER TABLE attachments ALTER COLUMN task_id DROP NOT NULL;
ALTER TABLE attachments ADD CONSTRAINT attachments_attached_to_card CHECK (attached_at IS NULL OR task_id IS NOT NULL);

-- +goose Down
DELETE FROM attachments WHERE task_id IS NULL;
ALTER TABLE attachments DROP CONSTRAINT attachments_attached_to_card;
ALTER TABLE attachments ALTER COLUMN task_id SET NOT NULL;
