-- Migration 0023: the contacts by program, city and status are counted in `contact_counts`
-- (0022); the index 0020 built for the dashboards to group them is read by nothing now, and
-- every imported contact and every recorded call wrote into it (its text keys put each new
-- entry at a random place).
DROP INDEX IF EXISTS campaign_contacts_breakdown;
