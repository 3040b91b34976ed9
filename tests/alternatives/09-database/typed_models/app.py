"""SQLAlchemy 2.0 typed models; duplicates found with a query before inserting; MethodView."""
from pathlib import Path

from flask import Flask, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str]


def dump(user):
    return {"id": user.id, "name": user.name, "email": user.email}


class UserList(MethodView):
    def get(self):
        return [dump(u) for u in db.session.execute(select(User)).scalars()]

    def post(self):
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or {"name", "email"} - body.keys():
            return {"error": "send name and email"}, 400
        if db.session.execute(select(User).filter_by(name=body["name"])).first():
            return {"error": "duplicate name"}, 409
        user = User(name=body["name"], email=body["email"])
        db.session.add(user)
        db.session.commit()
        return dump(user), 201


class UserItem(MethodView):
    def get(self, user_id):
        return dump(db.get_or_404(User, user_id))

    def delete(self, user_id):
        db.session.delete(db.get_or_404(User, user_id))
        db.session.commit()
        return "", 204


def create_app(test_config=None):
    app = Flask(__name__)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(app.instance_path) / 'app.db'}", **(test_config or {})}
    )
    db.init_app(app)
    app.add_url_rule("/users", view_func=UserList.as_view("users"))
    app.add_url_rule("/users/<int:user_id>", view_func=UserItem.as_view("user"))

    @app.cli.command("init-db")
    def init_db():
        with app.app_context():
            db.create_all()

    return app
