"""Rate limits on what teams write after the event (shared by the web form and the API)."""

# Team updates are public text: one account cannot flood a project page.
UPDATE_LIMIT = "20 per hour"
