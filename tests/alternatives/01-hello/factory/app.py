import flask


def create_app():
    application = flask.Flask(__name__)
    application.add_url_rule("/", "index", lambda: "Hello, Flask!\n")
    return application


app = create_app()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5001)
