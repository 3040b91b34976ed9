# 01-hello: the smallest Flask app.
#
# TODO 1: import Flask from the flask package.
# TODO 2: create the application: app = Flask(__name__)
# TODO 3: add a view for "/" that returns the text "Hello, Flask!".
# TODO 4: start the development server only when this file is run as a program:
#
#     if __name__ == "__main__":
#         app.run(debug=True)
#
# Run it with `nox -s run -- 01` (or `python app.py`, with Flask installed) and open http://127.0.0.1:5000/.
