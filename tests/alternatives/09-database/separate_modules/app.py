"""Models, views and the CLI command in their own places; legacy Model.query API."""
import click
from flask import Flask
from flask.cli import with_appcontext

from models import db
from views import bp


@click.command("init-db")
@with_appcontext
def init_db_command():
    db.create_all()
    click.echo("Database ready.")


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///shop.sqlite"
    app.config.update(test_config or {})
    db.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(init_db_command)
    return app
