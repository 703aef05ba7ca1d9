-- Each review records the settings version it used (settings_versions.version_id; NULL when
-- no version was saved in the browser and the configuration file alone applied). The full
-- settings stay in config_json beside it.
ALTER TABLE reviews ADD COLUMN settings_version INTEGER;
