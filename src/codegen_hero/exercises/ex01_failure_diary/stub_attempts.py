# How many attempts you will run (more than a handful: two attempts are an anecdote).
ATTEMPTS = None
