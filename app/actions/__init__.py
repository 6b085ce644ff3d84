"""actions domain: follow-up actions (tindak lanjut), their history, views, reminders and exchange."""
