"""Grader for 09-database: Flask-SQLAlchemy on a real SQLite file, tables made by `flask init-db`.

Each check points the app at a fresh database file (through ``test_config``) and reads that file
with Python's own ``sqlite3`` to see what really reached it. The file lives in the sandbox's own
temporary folder, which the judge sees at the same path: the judge opens it read-only itself
(:func:`opened`), as what the student's process would say about it is only a claim (it could
patch its own ``sqlite3``).
"""

import json
import os
import sqlite3
import tempfile
from contextlib import closing
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grading import expect
from grading.judge.remote import StudentCodeError

ADA = {"name": "ada", "email": "ada@example.com"}
COLUMNS = {"id", "name", "email"}


MAX_DATABASE_BYTES = 16 * 1024 * 1024  # a few users take kilobytes
NO_EXTENSION = ("app.extensions has no 'sqlalchemy': create db = SQLAlchemy() and call db.init_app(app) in "
                "create_app.")


def scratch_database():
    """In the sandbox: the name of a fresh SQLite file in the sandbox's temporary folder."""
    return os.path.join(tempfile.mkdtemp(prefix="grading-"), "grading.db")


def database_in_use(app):
    """In the sandbox: the URL of the database Flask-SQLAlchemy really opens for ``app``, and the app's
    SQLALCHEMY_DATABASE_URI (None when it cannot say)."""
    try:
        with app.app_context():
            return [str(app.extensions["sqlalchemy"].engine.url), str(app.config.get("SQLALCHEMY_DATABASE_URI"))]
    except Exception:
        return None


def opened(database):
    """In the judge: the SQLite file, opened read-only (links refused, no SQL of the file's own run)."""
    try:
        size = os.path.getsize(database)
    except OSError:
        size = 0
    expect.that(size <= MAX_DATABASE_BYTES, f"The database file holds {size} bytes: more than a few users need.")
    con = sqlite3.connect(f"file:{quote(database)}?mode=ro&nofollow=1", uri=True, timeout=2)
    con.execute("PRAGMA trusted_schema = OFF")
    return closing(con)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables_in(database):
    """In the judge: each table of the SQLite file with its columns (none when there is no file)."""
    if not os.path.lexists(database):
        return {}
    try:
        with opened(database) as con:
            tables = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {table: [row[1] for row in con.execute(f"PRAGMA table_info({_quoted(table)})")] for table in tables}
    except sqlite3.Error as error:
        expect.fail(f"After `flask init-db`, the database file could not be read as SQLite ({error}).")


def rows_in(database, table):
    """In the judge: the id, name and email of every row of ``table``."""
    try:
        with opened(database) as con:
            return [list(row) for row in con.execute(f"SELECT id, name, email FROM {_quoted(table)}")]
    except sqlite3.Error as error:
        expect.fail(f"The table {table} of the database file could not be read ({error}).")


@pytest.fixture
def database(student, session):
    """The SQLite file of this check: made in the sandbox's temporary folder, read there by the judge."""
    path = student.probe(scratch_database)
    scratch = os.path.realpath(session.sandbox.scratch)
    inside = isinstance(path, str) and os.path.realpath(path).startswith(scratch + os.sep)
    expect.that(inside, f"The sandbox named {expect.show(path)} as its database file: not in its own folder.")
    return path


@pytest.fixture
def test_config(database):
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}


@pytest.fixture
def ready(app, runner, database):
    """The app after `flask init-db` created its tables."""
    if "sqlalchemy" not in app.extensions:
        expect.precondition(NO_EXTENSION)
    result = runner.invoke(args=["init-db"])
    expect.that(
        "No such command" not in result.output,
        'There is no `flask init-db` command: add one with @app.cli.command("init-db") that calls db.create_all().',
    )
    raised = result.exception.describe() if result.exception else f"exit code {result.exit_code}"
    why = result.output.strip() or raised
    expect.that(result.exit_code == 0, f"`flask init-db` failed: {why}")
    return app


def users_table(student, database, app=None):
    """The name of the table holding users (any table with id, name and email columns). With ``app``,
    a file without tables is explained by the database the app really uses, if it is another one."""
    tables = tables_in(database)
    for table, columns in tables.items():
        if COLUMNS <= set(columns):
            return table
    used = app.probe(database_in_use) if app is not None and not tables else None
    wanted = f"sqlite:///{database}"
    if isinstance(used, list) and len(used) == 2 and all(isinstance(u, str) for u in used) and used[0] != wanted:
        engine, configured = (u.replace(f"{student.path}{os.sep}", "") for u in used)  # as the student sees them
        late = ("db.init_app(app) reads SQLALCHEMY_DATABASE_URI once: apply test_config before it." if configured == wanted
                else f"SQLALCHEMY_DATABASE_URI is {expect.show(configured)}: apply test_config after your defaults.")
        expect.fail(f"After `flask init-db`, the database file of the test config has no table: your app used "
                    f"{expect.show(engine)} instead. {late}", "config")
    found = f"the tables {', '.join(tables)}, but none" if tables else "no table at all, so none"
    expect.fail(f"After `flask init-db`, the database file has {found} with the "
                "columns id, name and email: define the User model and call db.create_all() in init-db.")


def rows(student, database):
    table = users_table(student, database)
    return [dict(zip(("id", "name", "email"), row)) for row in rows_in(database, table)]


def create(client, user=ADA):
    """A new user, made with POST /users: a failure here is the cause of every check that creates one."""
    with expect.shared_cause():
        data = expect.json(client.post("/users", json=user), status_code=201)
        expect.that(isinstance(data, dict) and isinstance(data.get("id"), int),
                    f"POST /users returned {expect.show(data)}, expected the new user's JSON with an integer id.",
                    "body")
    return data


@pytest.mark.points(1)
def test_sqlalchemy_extension_is_set_up(app, make_app):
    """The app is set up with Flask-SQLAlchemy: app.extensions["sqlalchemy"] exists; create_app() with no
    test config builds an app too, on its default database (a SQLite file)."""
    if "sqlalchemy" not in app.extensions:
        expect.precondition(NO_EXTENSION)
    try:
        default = make_app(None)
    except StudentCodeError as error:
        if error.kind == "missing":
            raise
        expect.fail(f"create_app() with no test config raised: {error} Give SQLALCHEMY_DATABASE_URI a default, "
                    "a SQLite file in the instance folder, that a test config may replace.")
    uri = default.config.get("SQLALCHEMY_DATABASE_URI")
    expect.that(isinstance(uri, str) and uri.startswith("sqlite:"),
                f"create_app() with no test config has SQLALCHEMY_DATABASE_URI {uri!r}, expected a SQLite file "
                "(sqlite:///users.db lives in the instance folder).")


@pytest.mark.points(2)
def test_init_db_creates_the_users_table(ready, student, database):
    """`flask init-db` creates a table with the columns id, name and email in the configured file."""
    users_table(student, database, app=ready)


@pytest.mark.points(1)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_new_user_is_201_with_its_id(ready, client):
    """POST /users with JSON name and email answers 201 and the user as JSON, with its id."""
    data = create(client)
    expect.equal({k: data.get(k) for k in ADA}, ADA, "The name and email in the answer to POST /users")


@pytest.mark.points(2)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_new_user_reaches_the_table(ready, client, student, database):
    """A user created with POST /users is a row of the table in the database file."""
    data = create(client)
    expect.equal(rows(student, database), [{"id": data["id"], **ADA}], "The rows of the users table after POST /users")


@pytest.mark.points(1)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_duplicate_name_is_409(ready, client, student, database):
    """POST /users with a name already taken answers 409 and stores nothing."""
    create(client)
    expect.status(client.post("/users", json={"name": "ada", "email": "other@example.com"}), 409)
    expect.equal(len(rows(student, database)), 1, "The number of rows after a duplicate POST /users")
    expect.status(client.get("/users"), 200)  # the session still works after the refused insert


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
bodies_without_a_field = st.one_of(
    st.fixed_dictionaries({}, optional={"name": st.text(max_size=10), "email": st.text(max_size=10)}),
    json_values,
).filter(lambda body: not (isinstance(body, dict) and "name" in body and "email" in body))


@pytest.mark.points(1)
@pytest.mark.needs("init_db_creates_the_users_table")
@given(body=bodies_without_a_field)
@example(body=[])
@example(body="ada")
@example(body=3)
@example(body=None)
def test_missing_field_is_400(ready, client, body):
    """POST /users with any JSON body that is not an object holding a name and an email ([], "x", 3,
    null, {"name": "ada"}, ...) answers 400."""
    expect.status(client.post("/users", data=json.dumps(body), content_type="application/json"), 400)


@pytest.mark.points(1)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_users_are_listed_and_found_by_id(ready, client):
    """GET /users lists the users as JSON; GET /users/<id> answers 200 for one, 404 for an unknown id."""
    ada = create(client)
    bob = create(client, {"name": "bob", "email": "bob@example.com"})
    listed = expect.json(client.get("/users"))
    names = sorted(u.get("name") for u in listed if isinstance(u, dict)) if isinstance(listed, list) else listed
    expect.equal(names, ["ada", "bob"], "The names in GET /users")
    found = expect.json(client.get(f"/users/{bob['id']}"))
    expect.equal(found.get("name") if isinstance(found, dict) else found, "bob", f"The name in GET /users/{bob['id']}")
    expect.status(client.get(f"/users/{ada['id'] + bob['id'] + 100}"), 404)


@pytest.mark.points(1)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_delete_is_204_and_removes_the_row(ready, client, student, database):
    """DELETE /users/<id> answers 204, and the row is gone from the table; deleting an unknown
    user (the same one again) answers 404, as GET does."""
    ada = create(client)
    expect.status(client.delete(f"/users/{ada['id']}"), 204)
    expect.equal(rows(student, database), [], "The rows of the users table after DELETE")
    expect.status(client.get(f"/users/{ada['id']}"), 404)
    again = client.delete(f"/users/{ada['id']}")
    expect.no_server_error(again)
    expect.that(again.status_code == 404,
                f"DELETE /users/{ada['id']} a second time, once that user was deleted, returned {again.status_code}, "
                "expected 404: there is no such user any more.")


@pytest.mark.points(2)
@pytest.mark.needs("init_db_creates_the_users_table")
def test_second_app_on_the_same_file_sees_the_data(ready, client, make_app, test_config):
    """Data lives in the database: a second app on the same file lists the user the first created."""
    create(client)
    listed = expect.json(make_app(test_config).test_client().get("/users"))
    names = [u.get("name") for u in listed if isinstance(u, dict)] if isinstance(listed, list) else listed
    expect.equal(names, ["ada"], "GET /users of a second app on the same database file gives the names")
