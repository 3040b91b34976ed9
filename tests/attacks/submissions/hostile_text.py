# The grade's messages carry the student's text: importing app.py raises an exception whose message
# is ATTACK["text"] (terminal escape sequences, a lone surrogate, characters XML forbids...).
raise ValueError(ATTACK["text"])
