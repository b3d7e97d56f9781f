-- A platform's OAuth 2.0 user token and its rotating refresh token (X gives a new refresh token with every refresh
-- and the old one stops working): kept here, not only in memory, so a restart or another hub node goes on with the
-- newest one. Rows are locked while one node refreshes.
CREATE TABLE platform_credential (
    platform       VARCHAR(32)   PRIMARY KEY,
    access_token   VARCHAR(2000),
    expires_at     TIMESTAMP WITH TIME ZONE,
    refresh_token  VARCHAR(2000) NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
