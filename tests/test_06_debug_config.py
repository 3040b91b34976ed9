"""The 06-debug-config grader: what it accepts and what it refuses."""

ID = "06-debug-config"


def test_starter_with_debug_everywhere_is_well_below_full(grade):
    result = grade.starter(ID)
    assert result.score <= result.result.max_score / 3
    assert "production_hides_tracebacks_behind_a_friendly_page" in result.lost


def test_environment_applied_before_the_class_loses_the_override_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    app.config.from_object(CONFIGS[config_name])\n    app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_DEBUG, ...",
         "    app.config.from_prefixed_env()\n    app.config.from_object(CONFIGS[config_name])"),
    ]})
    assert result.lost == {"flask_variables_override_the_config_class"}
    assert "app.debug of create_app('development') with FLASK_DEBUG=0 is True" in \
        result.check("flask_variables_override_the_config_class").message


def test_development_as_default_loses_the_app_env_check(grade):
    result = grade.mutant(ID, {"app.py": [('os.environ.get("APP_ENV", "production")', 'os.environ.get("APP_ENV", "development")')]})
    assert result.lost == {"config_name_comes_from_app_env_default_production"}


def test_no_500_handler_loses_the_friendly_page_check(grade):
    result = grade.mutant(ID, {"app.py": [("    @app.errorhandler(500)\n", "")]})
    assert result.lost == {"production_hides_tracebacks_behind_a_friendly_page"}


def test_catching_every_exception_loses_the_propagation_check(grade):
    result = grade.mutant(ID, {"app.py": [("@app.errorhandler(500)", "@app.errorhandler(Exception)")]})
    assert result.lost == {"development_lets_the_crash_propagate"}


def test_unknown_name_falling_back_to_production_loses_the_value_error_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    if config_name not in CONFIGS:\n", "    if False:\n"),
        ("CONFIGS[config_name]", 'CONFIGS.get(config_name, CONFIGS["production"])'),
    ]})
    assert result.lost == {"unknown_config_name_is_a_value_error"}


def test_main_block_without_debug_loses_the_server_check(grade):
    result = grade.mutant(ID, {"app.py": [('create_app("development").run(debug=True)', 'create_app("testing").run()')]})
    assert result.lost == {"running_app_py_starts_a_debug_server"}


def test_no_template_reloading_setting_loses_the_development_check(grade):
    # Debug on reloads templates anyway: only an app with FLASK_DEBUG=0 shows the setting is gone.
    result = grade.mutant(ID, {"config.py": [("    TEMPLATES_AUTO_RELOAD = True\n", "")]})
    assert result.lost == {"development_has_debug_and_template_reloading"}
    assert "FLASK_DEBUG=0" in result.check("development_has_debug_and_template_reloading").message


def test_status_route_with_a_trailing_slash_gets_the_hint_about_the_route(grade):
    """A /status/ rule answers 308: the hint is about declaring the route, not about app.debug."""
    result = grade.mutant(ID, {"app.py": [('@app.route("/status")', '@app.route("/status/")')]})
    check = result.check("status_reports_debug_and_testing")
    assert result.lost == {"status_reports_debug_and_testing"} and check.cause == "status", result.explain()
    assert check.hint.startswith("Does every app create_app builds answer GET /status"), check.hint


def test_factory_returning_nothing_is_said_once(grade):
    """create_app without `return app`: the first check says it, every other check is not run."""
    result = grade.mutant(ID, {"app.py": [("        return ERROR_PAGE, 500\n\n    return app\n", "        return ERROR_PAGE, 500\n")]})
    said = [c for c in result.result.checks if c.status != "not_run"]
    assert [c.message for c in said] == ["create_app() returned NoneType, expected a Flask app."], result.explain()
    assert result.score == 0
