"""Command-line tasks: `flask --app wsgi demo`."""
import click

from app import demo as demo_data
from app.extensions import db


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
