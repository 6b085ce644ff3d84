"""The floor: bare Flask + SQLAlchemy + Jinja rendering a 50-row table from the same database.

Our pages are reported as a ratio to this, so the figures hold on a noisy machine.
Run: DATABASE_URL=... gunicorn -w 2 bench.floor_app:app
"""
import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

TEMPLATE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Floor</title></head><body>
<table>{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.email }}</td></tr>{% endfor %}</table>
</body></html>"""

url = os.environ["DATABASE_URL"]
if url.startswith("postgresql://"):
    url = "postgresql+psycopg://" + url[len("postgresql://"):]
engine = create_engine(url)
app = Flask(__name__)


@app.get("/floor")
def floor():
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, name, email FROM users ORDER BY id LIMIT 50")).mappings().all()
    return render_template_string(TEMPLATE, rows=rows)
