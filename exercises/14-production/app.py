from flask import Flask, url_for


def create_app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", DEBUG=True)  # fine on a laptop, dangerous on a server

    @app.get("/")
    def index():
        return {"self": url_for("index", _external=True)}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)  # the development server: not for production
