-- Failed sign-ins remember whether they came from a browser the account had signed in from
-- before (a device cookie): failures of strangers never slow down the account's own browsers.
ALTER TABLE login_failure ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;
