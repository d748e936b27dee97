-- Data for bench/segment-count.sh, for SQLite and PostgreSQL alike: {CONTACTS} contacts, {EVENTS} engagement events
-- before {BASE} (Unix ms). {SERIES_C} / {SERIES_E} are the dialect's generate_series with a column named value;
-- {JSON_OBJECT} its function building the JSON object of custom field values.
-- Event times are whole days plus under 12 hours before {BASE}, so a window of N days counted within 12 hours
-- of the load puts every event on the same side of its bound however many seconds later it is counted.
BEGIN;
INSERT INTO contact_fields (name, type, created_at) VALUES ('country', 'text', {BASE});
INSERT INTO lists (name, created_at) VALUES ('Boletín', {BASE});

INSERT INTO contacts (id, email, name, language, validation, validation_detail, fields, created_at, updated_at)
SELECT value, 'persona' || value || '@empresa' || (value % 200) || '.es', 'Persona ' || value,
       CASE WHEN value % 3 = 0 THEN 'en' ELSE 'es' END, 'valid', '{"Flags":[],"Suggestion":null}',
       {JSON_OBJECT}('country', CASE WHEN value % 20 < 12 THEN 'ES' WHEN value % 20 < 15 THEN 'PT' WHEN value % 20 < 17 THEN 'MX' WHEN value % 20 < 19 THEN 'AR' ELSE 'FR' END),
       {BASE} - (value % 1000) * 86400000, {BASE}
FROM {SERIES_C};

INSERT INTO contact_tags (contact_id, tag, tag_key) SELECT value, 'cliente', 'cliente' FROM {SERIES_C} WHERE value % 5 = 0;

INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at)
SELECT value, (SELECT id FROM lists WHERE name = 'Boletín'), CASE WHEN value % 20 = 7 THEN 'unsubscribed' ELSE 'subscribed' END, {BASE}, {BASE}
FROM {SERIES_C};

-- Kinds by value % 20: 10 received, 6 opened, 3 clicked, 1 bounced or converted; the day is (value / 20) % 365,
-- so every kind spreads over the year; campaigns are weekly, the sixth week back being "navidad-2026".
INSERT INTO engagement_events (contact_id, kind, campaign, occurred_at)
SELECT 1 + ((value * 48271) % 2147483647) % {ACTIVE},
       CASE WHEN value % 20 < 10 THEN 'received' WHEN value % 20 < 16 THEN 'opened' WHEN value % 20 < 19 THEN 'clicked'
            WHEN (value / 20) % 2 = 0 THEN 'bounced' ELSE 'converted' END,
       CASE WHEN (value / 20) % 365 / 7 = 5 THEN 'navidad-2026' ELSE 'semana-' || ((value / 20) % 365 / 7) END,
       {BASE} - ((value / 20) % 365) * 86400000 - ((value * 13) % 43200) * 1000
FROM {SERIES_E};
COMMIT;
