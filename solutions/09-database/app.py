import os

import click
from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)
    email = db.Column(db.String(120), nullable=False)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "email": self.email}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    # A relative SQLite path lives in the instance folder: instance/users.db
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///users.db")
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.cli.command("init-db")
    def init_db():
        """Create the database tables."""
        db.create_all()
        click.echo("Initialized the database.")

    @app.post("/users")
    def create_user():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not data.get("name") or not data.get("email"):
            return {"error": "name and email are required"}, 400
        user = User(name=str(data["name"]), email=str(data["email"]))
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return {"error": f"the name {data['name']!r} is taken"}, 409
        return user.to_dict(), 201

    @app.get("/users")
    def list_users():
        return [u.to_dict() for u in db.session.scalars(db.select(User).order_by(User.id))]

    @app.get("/users/<int:user_id>")
    def get_user(user_id):
        return db.get_or_404(User, user_id).to_dict()

    @app.delete("/users/<int:user_id>")
    def delete_user(user_id):
        user = db.session.get(User, user_id)
        if user is None:
            abort(404)
        db.session.delete(user)
        db.session.commit()
        return "", 204

    return app
