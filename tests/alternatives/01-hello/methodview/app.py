from flask import Flask, make_response
from flask.views import MethodView


class Hello(MethodView):
    def get(self):
        response = make_response("Hello, Flask!")
        response.mimetype = "text/plain"
        return response


app = Flask("hello")
app.add_url_rule("/", view_func=Hello.as_view("hello"))


def main():
    app.run(debug=True)


if __name__ == "__main__":
    main()
