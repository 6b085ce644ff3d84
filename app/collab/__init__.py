"""Shared machinery of the collaboration layer: the registry of commentable targets (targets.py)
and live-update versions (live.py). Comments, attachments, notifications, activity and search
all address "any object of any domain" as (target_type, target_id) through this registry."""
