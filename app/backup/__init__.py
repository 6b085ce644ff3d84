"""Backup and restore of one programme as a zip (programme.json + attachment files)."""
