"""The 09-database grader: what it accepts and what it refuses."""

ID = "09-database"


def test_starter_without_a_database_gets_zero(grade):
    assert grade.starter(ID).score == 0


def test_name_not_unique_loses_the_409_check(grade):
    result = grade.mutant(ID, {"app.py": [("db.String(80), unique=True,", "db.String(80),")]})
    assert result.lost == {"duplicate_name_is_409"}
    assert "returned 201, expected 409" in result.check("duplicate_name_is_409").message


def test_unchecked_email_loses_the_400_check(grade):
    result = grade.mutant(ID, {"app.py": [(' or not data.get("email"):', ":")]})
    assert result.lost == {"missing_field_is_400"}


def test_delete_answering_200_loses_the_delete_check(grade):
    result = grade.mutant(ID, {"app.py": [('return "", 204', 'return {"deleted": user_id}')]})
    assert result.lost == {"delete_is_204_and_removes_the_row"}


def test_delete_of_an_unknown_user_answering_204_loses_the_delete_check(grade):
    result = grade.mutant(ID, {"app.py": [("        if user is None:\n            abort(404)\n        db.session.delete(user)\n",
                                           "        if user is not None:\n            db.session.delete(user)\n")]})
    assert result.lost == {"delete_is_204_and_removes_the_row"}
    assert result.check("delete_is_204_and_removes_the_row").message == (
        "DELETE /users/1 a second time, once that user was deleted, returned 204, expected 404: "
        "there is no such user any more.")


def test_delete_of_an_unknown_user_crashing_loses_the_delete_check(grade):
    result = grade.mutant(ID, {"app.py": [("        if user is None:\n            abort(404)\n", "")]})
    assert result.lost == {"delete_is_204_and_removes_the_row"}
    assert result.check("delete_is_204_and_removes_the_row").message.startswith(
        "DELETE /users/1 raised UnmappedInstanceError"), result.explain()


def test_test_config_overwritten_by_the_default_misses_the_graders_file(grade):
    result = grade.mutant(ID, {"app.py": [
        ('    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///users.db")\n'
         "    if test_config is not None:\n        app.config.update(test_config)\n",
         "    if test_config is not None:\n        app.config.update(test_config)\n"
         '    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///users.db")\n'),
    ]})
    assert {"init_db_creates_the_users_table", "new_user_reaches_the_table"} <= result.lost
    assert "sqlalchemy_extension_is_set_up" not in result.lost
    check = result.check("init_db_creates_the_users_table")
    assert check.message == (
        "After `flask init-db`, the database file of the test config has no table: your app used "
        "'sqlite:///instance/users.db' instead. SQLALCHEMY_DATABASE_URI is 'sqlite:///users.db': apply test_config "
        "after your defaults."), check.message
    assert check.cause == "config" and "db.init_app(app) reads SQLALCHEMY_DATABASE_URI" in check.hint, check.hint


def test_test_config_applied_after_init_app_is_named_with_the_hint_for_it(grade):
    result = grade.mutant(ID, {"app.py": [(
        "    if test_config is not None:\n        app.config.update(test_config)\n"
        "    os.makedirs(app.instance_path, exist_ok=True)\n    db.init_app(app)\n",
        "    os.makedirs(app.instance_path, exist_ok=True)\n    db.init_app(app)\n"
        "    if test_config is not None:\n        app.config.update(test_config)\n")]})
    assert result.lost == {c.name for c in result.result.checks} - {"sqlalchemy_extension_is_set_up"}, result.explain()
    check = result.check("init_db_creates_the_users_table")
    assert check.message.endswith("your app used 'sqlite:///instance/users.db' instead. db.init_app(app) reads "
                                  "SQLALCHEMY_DATABASE_URI once: apply test_config before it."), check.message
    assert check.hint.startswith("Your init-db works, but on another database"), check.hint
    assert "db.create_all()" not in check.message + check.hint


def test_users_kept_in_a_list_lose_the_database_checks(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    return [u.to_dict() for u in db.session.scalars(db.select(User).order_by(User.id))]",
         "    return [{'id': 1, 'name': n, 'email': ''} for n in NAMES]"),
        ("db = SQLAlchemy()\n", "db = SQLAlchemy()\nNAMES = []\n"),
        ("        return user.to_dict(), 201", "        NAMES.append(user.name)\n        return user.to_dict(), 201"),
    ]})
    assert result.lost == {"second_app_on_the_same_file_sees_the_data"}


def test_a_model_returned_by_a_view_is_the_students_bug_with_its_line(grade):
    result = grade.mutant(ID, {"app.py": [("return db.get_or_404(User, user_id).to_dict()",
                                           "return db.get_or_404(User, user_id)")]})
    assert result.lost == {"users_are_listed_and_found_by_id"}, result.explain()
    message = result.check("users_are_listed_and_found_by_id").message
    assert "it was a User in app.py, line 55 (get_user)." in message, message
    assert "grader" not in message and ".." not in message, message


def test_init_db_creating_nothing_says_there_is_no_table(grade):
    result = grade.mutant(ID, {"app.py": [("        db.create_all()\n", "        pass\n")]})
    messages = [c.message for c in result.result.checks if c.message and "init-db" in c.message]
    assert messages and "no table at all" in messages[0] and "none, none" not in messages[0], result.explain()


def test_an_empty_user_list_is_called_empty(grade):
    result = grade.mutant(ID, {"app.py": [(
        "return [u.to_dict() for u in db.session.scalars(db.select(User).order_by(User.id))]", "return []")]})
    message = result.check("users_are_listed_and_found_by_id").message
    assert "The names in GET /users is an empty list ([])" in message, message


def test_json_body_not_an_object_answering_500_loses_the_400_check(grade):
    result = grade.mutant(ID, {"app.py": [("if not isinstance(data, dict) or not data", "if data is None or not data")]})
    assert result.lost == {"missing_field_is_400"}


def test_no_default_database_loses_the_extension_check(grade):
    # The grader always passes a test config: create_app() alone must still build an app.
    result = grade.mutant(ID, {"app.py": [('    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///users.db")\n', "")]})
    assert result.lost == {"sqlalchemy_extension_is_set_up"}
    assert "create_app() with no test config raised" in result.check("sqlalchemy_extension_is_set_up").message


def test_init_db_that_creates_no_table_is_said_once_and_the_checks_that_need_it_are_not_run(grade):
    result = grade.mutant(ID, {"app.py": [("        db.create_all()\n", "        pass\n")]})
    need = {c.name for c in result.result.checks} - {"sqlalchemy_extension_is_set_up", "init_db_creates_the_users_table"}
    assert result.lost == {"init_db_creates_the_users_table", *need}, result.explain()
    assert result.check("init_db_creates_the_users_table").status == "failed"
    assert all(result.check(name).message == "Not run: needs init_db_creates_the_users_table (see above)." for name in need)


def test_a_patched_sqlite3_in_the_students_process_does_not_fake_the_table(grade):
    """Attack: init-db creates nothing, and the app rebinds sqlite3.connect in its own process so
    that whoever reads the grader's file there sees a users table. The judge reads the file itself."""
    patch = (
        "import os\nimport sqlite3 as _sqlite3\n\n_real_connect = _sqlite3.connect\n\n\n"
        "def _fake_connect(database, *args, **kwargs):\n"
        "    con = _real_connect(':memory:')\n"
        "    if str(database).endswith('grading.db'):\n"
        "        con.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT)')\n"
        "    return con\n\n\n"
        "_sqlite3.connect = _fake_connect\n"
    )
    result = grade.mutant(ID, {"app.py": [("import os\n", patch), ("        db.create_all()\n", "        pass\n")]})
    assert "init_db_creates_the_users_table" in result.lost
    assert "none with the columns id, name and email" in result.check("init_db_creates_the_users_table").message


def test_no_init_app_is_said_once(grade):
    result = grade.mutant(ID, {"app.py": [("    db.init_app(app)\n", "")]})
    said = result.check("sqlalchemy_extension_is_set_up")
    assert result.score == 0 and said.message.startswith("app.extensions has no 'sqlalchemy'"), result.explain()
    others = [c for c in result.result.checks if c is not said]
    assert all(c.status == "not_run" and c.message == f"Not run: {said.message}" for c in others), result.explain()


def test_a_post_answering_200_is_said_once_with_the_hint_for_the_status(grade):
    result = grade.mutant(ID, {"app.py": [("return user.to_dict(), 201", "return user.to_dict()")]})
    said = result.check("new_user_is_201_with_its_id")
    assert said.message == "POST /users returned 200, expected 201." and said.hint.startswith('Which status says "created"?')
    creating = result.lost - {"new_user_is_201_with_its_id", "missing_field_is_400"}
    assert result.lost == {"new_user_is_201_with_its_id", *creating} and len(creating) == 5, result.explain()
    assert all(result.check(name).message == f"Not run: {said.message}" for name in creating), result.explain()


def test_a_user_never_committed_gets_the_hint_for_its_missing_id(grade):
    result = grade.mutant(ID, {"app.py": [("            db.session.commit()\n", "            pass\n")]})
    said = result.check("new_user_is_201_with_its_id")
    assert "'id': None" in said.message and said.cause == "body", result.explain()
    assert said.hint == "Your answer has no integer id yet: when does the database give a new row its id?", said.hint
