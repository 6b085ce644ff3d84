"""The server's half of "nothing typed is lost" (static/js/drafts.js keeps the text in the browser).

A form with a draft field carries the browser's draft id; once the save has committed, the
response says so in a short-lived cookie and the browser forgets that draft. A save that did not
happen (an expired login, a dropped connection, a validation error) sends no confirmation, so the
text stays in the browser and comes back when the page is opened again.
"""
import re

COOKIE = "sinergi_saved_draft"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def confirm_saved(response, draft_id: str | None):
    if draft_id and _ID.match(draft_id):
        # Readable by our script (it clears the draft), same-site only, gone within minutes.
        response.set_cookie(COOKIE, draft_id, max_age=300, samesite="Lax", httponly=False, path="/")
    return response
