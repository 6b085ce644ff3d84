"""Command-line tasks: `flask --app wsgi demo`."""
from pathlib import Path

import click
from sqlalchemy import select

from app import demo as demo_data
from app.backup import service as backup
from app.extensions import db
from app.programmes.models import Programme


def init_app(app) -> None:
    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Only load when the database has no users yet.")
    def demo(if_empty):
        """Load the demo programmes of Bontang and NTB."""
        if not demo_data.is_empty():
            if if_empty:
                click.echo("Database already has data; demo not loaded.")
                return
            raise click.ClickException("The database is not empty; the demo loads into an empty database only.")
        password = app.config["DEMO_PASSWORD"]
        created = demo_data.load(password)
        click.echo("Demo loaded: " + ", ".join(p.name for p in created["programmes"]))
        click.echo("Demo accounts (one per Pentahelix element, and more):")
        for user in created["users"]:
            click.echo(f"  {user.email:32} {user.organisation.name} ({user.organisation.element.value})")
        click.echo(f"Demo password for every account: {password}")
        db.session.remove()

    @app.cli.command("export")
    @click.argument("slug", required=False)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="The .zip file to write.")
    def export(slug, output):
        """Export one programme as a zip; with no SLUG, list the programmes' slugs."""
        if not slug:
            for programme_slug in db.session.execute(select(Programme.slug).order_by(Programme.slug)).scalars():
                click.echo(programme_slug)
            return
        programme_id = db.session.execute(select(Programme.id).where(Programme.slug == slug)).scalar()
        if programme_id is None:
            raise click.ClickException(f"No programme with the slug {slug!r}. Run without SLUG to list them.")
        output = output or Path(f"{slug}.zip")
        output.write_bytes(backup.export_programme(programme_id))
        click.echo(f"Exported {slug} to {output}")

    @app.cli.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_(file):
        """Import a programme exported with `flask export` (all or nothing)."""
        try:
            slug = backup.import_programme(file.read_bytes())
        except backup.BackupError as error:
            raise click.ClickException(f"{file}: {error}") from None
        click.echo(f"Imported programme {slug}")
